#!/usr/bin/env python3
"""A stand-in Slack Web API on 127.0.0.1 for the load test: every method answers ok (auth.test with a bot identity,
posts with a channel and ts), keep-alive, no limits. Usage: fake_slack.py PORT"""
import json
import sys
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

PORT = int(sys.argv[1])
AUTH = json.dumps({"ok": True, "url": "https://bench.slack.com/", "team": "Bench", "user": "kudosrelay",
                   "team_id": "TBENCH", "user_id": "UBOT", "bot_id": "BBOT"}).encode()
counter = 0


class Handler(BaseHTTPRequestHandler):
    # The handler writes headers and body in two sends; with Nagle's algorithm the body then waits for the client's
    # delayed ACK (40 ms on Linux), which capped every connection at ~25 answers a second.
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global counter
        self.read_body()
        counter += 1
        body = AUTH if self.path.endswith("/auth.test") else \
            b'{"ok":true,"channel":"CBENCH","ts":"1700000000.%06d"}' % (counter % 1000000)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        """Reads the request's body whole, sent with a length or chunked, so the next request starts where it should."""
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b""
        while size := int(self.rfile.readline().split(b";")[0], 16):
            body += self.rfile.read(size)
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        return body

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
