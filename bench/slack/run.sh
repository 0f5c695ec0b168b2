#!/usr/bin/env bash
# Load test of the Slack endpoints: signed app_mention events (each with a new event_id) and /kudos
# commands against the real host (bench/slack/LoadHost, Release), on loopback only. signed.lua signs
# every request itself, so nothing is replayed and the timestamps stay fresh.
#   1. paced at ~500 requests/s for 30 s at 16 and 64 connections: throughput, p50/p99
#   2. saturation: server pinned to core 0, wrk on core 1, 16 connections, 30 s
# PHASES="paced saturation" picks phases; ANSWER_MENTIONS=true makes the stand-in product answer every
# mention, so each event also writes its answer to the outbox (group commit) before its 200.
# Peak RSS of the server (VmHWM) is printed after each phase. Needs wrk; wrk uses core 1 for signing too.
# Delivered, not only acknowledged: the outbox runs in the server against a stand-in Slack (fake_slack.py, on
# core 1 with wrk), and after each load the answers it delivered during it (per second) and the backlog left at
# its end are printed. Slack's rate limits are switched off for that stand-in (Slack:Pacing:Enabled=false): this
# measures the outbox, not Slack's budgets.
set -euo pipefail
cd "$(dirname "$0")"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

SECRET=bench-signing-secret
PORT=${PORT:-5081}
DURATION=${DURATION:-30s}
WORK=$(mktemp -d)
FAKE_PORT=${FAKE_PORT:-5082}
trap 'kill "$SERVER" "$FAKE" 2>/dev/null || true; tail -20 "$WORK/server.log" >&2; rm -rf "$WORK"' EXIT
${FAKEPIN:-taskset -c 1} python3 fake_slack.py "$FAKE_PORT" & FAKE=$!

dotnet build -c Release LoadHost -o "$WORK/host" -v q -nologo >/dev/null
start_server() {
  ${PIN:-} dotnet "$WORK/host/LoadHost.dll" --urls "http://127.0.0.1:$PORT" \
    --Database:ConnectionString="Data Source=$WORK/bench.db" --Logging:LogLevel:Default=Warning \
    --Slack:SigningSecret=$SECRET --Slack:BotToken=xoxb-bench --Slack:ApiBaseUrl=http://127.0.0.1:$FAKE_PORT/api/ \
    --Slack:Pacing:Enabled=false --Bench:AnswerMentions=${ANSWER_MENTIONS:-false} ${EXTRA_ARGS:-} >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}
load() { # kind connections delay_ms label: a 10 s warm-up (JIT tiers), then the measured run
  KIND=$1 SECRET=$SECRET DELAY_MS=$3 ${WRKPIN:-} wrk -t2 -c"$2" -d10s -s signed.lua "http://127.0.0.1:$PORT" >/dev/null
  printf '%-9s c=%-3s %-10s ' "$1" "$2" "${4:-}"
  drain
  read -r sent_before _ < <(python3 ../outbox_counts.py "$WORK/bench.db")
  local start; start=$(date +%s.%N)
  KIND=$1 SECRET=$SECRET DELAY_MS=$3 ${WRKPIN:-} wrk -t2 -c"$2" -d"$DURATION" -s signed.lua "http://127.0.0.1:$PORT" | grep '^RESULT'
  read -r sent_after backlog < <(python3 ../outbox_counts.py "$WORK/bench.db")
  awk -v n=$((sent_after - sent_before)) -v s="$start" -v e="$(date +%s.%N)" -v b="$backlog" \
    'BEGIN { printf "  delivered %.0f/s (%d answers), backlog at the end %d\n", n / (e - s), n, b }'
}
drain() { # the answers of the warm-up and of earlier loads go out first, so each measured run starts from an empty queue
  for _ in $(seq 120); do read -r _ backlog < <(python3 ../outbox_counts.py "$WORK/bench.db"); [ "$backlog" = 0 ] && return; sleep 1; done
}
echo "load average before: $(cat /proc/loadavg)"

PHASES=${PHASES:-paced saturation}
if [[ " $PHASES " == *" paced "* ]]; then
  start_server
  for kind in events commands; do
    for c in 16 64; do load "$kind" "$c" $((c * 1000 / 500)) paced-500; done
  done
  echo "peak RSS (paced runs): $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
fi

if [[ " $PHASES " == *" saturation "* ]]; then
  PIN="taskset -c 0" start_server
  for kind in events commands; do
    WRKPIN="taskset -c 1" load "$kind" 16 0 saturation
  done
  echo "peak RSS (saturation, one core): $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
fi
echo "load average after: $(cat /proc/loadavg)"
