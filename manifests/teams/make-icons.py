#!/usr/bin/env python3
"""Draws the two Teams app icons (standard library only): color.png 192x192 (a white star on the
accent colour, full bleed) and outline.png 32x32 (the same star, white on transparent), as the
Teams manifest asks. Run from this folder: python3 make-icons.py"""
import math
import struct
import zlib

ACCENT = (0x46, 0x4E, 0xB8)


def star_contains(x, y, cx, cy, outer, inner, points=5):
    """True when (x, y) lies inside a star centred on (cx, cy)."""
    angle = math.atan2(y - cy, x - cx) + math.pi / 2
    r = math.hypot(x - cx, y - cy)
    sector = math.pi / points
    a = (angle % (2 * sector)) - sector  # -sector..sector around a point
    t = abs(a) / sector  # 0 at a point, 1 halfway between points
    # The edge runs straight from the outer point to the inner corner; approximate in polar terms.
    edge = outer * inner / (inner + (outer - inner) * (1 - t)) if t < 1 else inner
    return r <= edge


def coverage(px, py, size, cx, cy, outer, inner, samples=4):
    hits = 0
    for sy in range(samples):
        for sx in range(samples):
            x = px + (sx + 0.5) / samples
            y = py + (sy + 0.5) / samples
            hits += star_contains(x, y, cx, cy, outer, inner)
    return hits / (samples * samples)


def png(path, size, pixel):
    raw = bytearray()
    for y in range(size):
        raw.append(0)
        for x in range(size):
            raw.extend(pixel(x, y))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def color(x, y):
    c = coverage(x, y, 192, 96, 100, 70, 30)
    return tuple(round(a + (255 - a) * c) for a in ACCENT) + (255,)


def outline(x, y):
    c = coverage(x, y, 32, 16, 17, 14, 6)
    return (255, 255, 255, round(255 * c))


png("color.png", 192, color)
png("outline.png", 32, outline)
