#!/usr/bin/env python3
"""Writes N signed Slack requests, one per line: path, timestamp, signature, content type, body (tab-separated).

usage: make_requests.py events|commands COUNT SECRET OUT
Events are app_mention callbacks with unique event ids; commands are /kudos with unique text. The
timestamp is now, so the file is good for Slack's five-minute window: make it just before a run.
"""
import hashlib, hmac, json, sys, time, urllib.parse

kind, count, secret, out = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
ts = str(int(time.time()))
with open(out, "w") as f:
    for i in range(count):
        if kind == "events":
            path, ctype = "/slack/events", "application/json"
            body = json.dumps({
                "token": "x", "team_id": "T111", "api_app_id": "A111", "type": "event_callback",
                "event_id": f"EvBench{i:08d}", "event_time": int(ts),
                "event": {"type": "app_mention", "user": "U0ANA", "text": f"<@UBOT> help #{i}",
                          "ts": f"{ts}.{i:06d}", "channel": "C111", "event_ts": f"{ts}.{i:06d}"},
            }, separators=(",", ":"))
        else:
            path, ctype = "/slack/commands", "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode({
                "token": "x", "team_id": "T111", "team_domain": "bench", "channel_id": "C111", "channel_name": "general",
                "user_id": "U0ANA", "user_name": "ana", "command": "/kudos", "text": f"<@U0BOB|bob> thanks for case {i}",
                "response_url": "https://hooks.slack.com/commands/T111/1/x", "trigger_id": f"1.1.{i}",
            })
        sig = "v0=" + hmac.new(secret, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        f.write(f"{path}\t{ts}\t{sig}\t{ctype}\t{body}\n")
