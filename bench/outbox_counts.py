#!/usr/bin/env python3
"""Prints the outbox's counts of a bench database as `sent pending` (read-only; the server keeps writing)."""
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
counts = dict(db.execute("SELECT status, COUNT(*) FROM outbox_messages GROUP BY status").fetchall())
print(counts.get("sent", 0), counts.get("pending", 0))
