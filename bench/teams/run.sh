#!/usr/bin/env bash
# Load test of POST /api/messages: authenticated message activities (signing keys cached after the
# first request), wrk at concurrency 16 and 64 for 30 s each, server pinned to one core.
# Prints throughput, p50/p99 and the server's peak RSS. Everything stays on 127.0.0.1.
# Delivered, not only acknowledged: after each run, the replies the outbox delivered to the loopback Connector
# during it (per second) and the backlog left at its end. The outbox runs in the same process, on the same core.
# DRAIN=1 adds a last phase: the replies of a load piled up, then delivered by the outbox alone (its capacity).
# Teams' pacing budgets are raised so that they never bind (every activity comes from one conversation and tenant):
# this measures the outbox, not Teams' limits; PACING=teams keeps Teams' real budgets.
set -euo pipefail
cd "$(dirname "$0")"
APP_ID=00000000-1111-2222-3333-444444444444
FAKE_PORT=${FAKE_PORT:-5190}
PORT=${PORT:-5191}
DURATION=${DURATION:-30s}
WORK=$(mktemp -d)
trap 'kill $FAKE_PID $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

# BIN: a TeamsLoadHost built beforehand (for A/B runs of two builds close together); else built here.
BIN=${BIN:-}
if [ -z "$BIN" ]; then BIN="$WORK/bin"; dotnet build -c Release TeamsLoadHost -o "$BIN" -v quiet -nologo >/dev/null; fi
(cd "$WORK" && exec python3 "$OLDPWD/fake_botframework.py" "$FAKE_PORT" "$APP_ID") & FAKE_PID=$!
for _ in $(seq 100); do [ -s "$WORK/token.txt" ] && break; sleep 0.2; done   # key generation is slow on a busy machine
export TOKEN=$(cat "$WORK/token.txt") SERVICE_URL="http://127.0.0.1:$FAKE_PORT/connector/"

PACING_ARGS=""
if [ "${PACING:-open}" != teams ]; then
  for key in PerConversationPerSecond PerConversationPerTwoSeconds PerConversationPerThirtySeconds PerConversationPerHour PerTenantPerSecond; do
    PACING_ARGS="$PACING_ARGS --Teams:Pacing:$key=100000000"
  done
fi
start_server() { # extra server options
  taskset -c 0 dotnet "$BIN/TeamsLoadHost.dll" --urls "http://127.0.0.1:$PORT" \
    --Logging:LogLevel:Default=Warning \
    --Database:ConnectionString="Data Source=$WORK/bench.db" \
    --Teams:AppId=$APP_ID --Teams:AppPassword=bench \
    --Teams:OpenIdMetadataUrl="http://127.0.0.1:$FAKE_PORT/openid" \
    --Teams:TokenEndpoint="http://127.0.0.1:$FAKE_PORT/token" \
    --Teams:AllowedServiceUrls:0="http://127.0.0.1:$FAKE_PORT/" $PACING_ARGS ${EXTRA_ARGS:-} "$@" & SERVER_PID=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
}
start_server

peak=0
watch_rss() { while kill -0 $SERVER_PID 2>/dev/null; do r=$(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status 2>/dev/null || echo 0); echo "$r" > "$WORK/rss"; sleep 1; done; }
watch_rss & WATCH_PID=$!

status=$(curl -s -o /dev/null -w "%{http_code}" -X POST "http://127.0.0.1:$PORT/api/messages" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d "{\"type\":\"message\",\"id\":\"probe\",\"channelId\":\"msteams\",\"serviceUrl\":\"$SERVICE_URL\",\"text\":\"help\",\"from\":{\"id\":\"29:u\",\"aadObjectId\":\"aad-u\"},\"conversation\":{\"id\":\"a:probe\",\"conversationType\":\"personal\",\"tenantId\":\"t\"},\"recipient\":{\"id\":\"28:b\"}}")
[ "$status" = 200 ] || { echo "probe answered $status, not 200" >&2; exit 1; }
wrk -t2 -c4 -d5s -s message.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up: JIT, keys, first token
# "help" is answered through the outbox (one SQLite write per activity); "settings" gets no reply.
# First paced at about 500 requests/s (16 connections, 32 ms between a response and the next request), then saturated.
RUNS=${RUNS:-"help:16:32 help:16:0 help:64:0 settings:16:0 settings:64:0"}
for run in $RUNS; do
  IFS=: read -r command connections pause <<< "$run"; set -- "$command" "$connections" "$pause"
  echo "== $1, concurrency $2, pause $3 ms, $DURATION"
  read -r sent_before _ < <(python3 ../outbox_counts.py "$WORK/bench.db")
  start=$(date +%s.%N)
  COMMAND=$1 PACE_MS=$3 wrk -t2 -c$2 -d$DURATION --latency -s message.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Non-2xx|Socket errors| 50%| 99%"
  read -r sent_after backlog < <(python3 ../outbox_counts.py "$WORK/bench.db")
  awk -v n=$((sent_after - sent_before)) -v s="$start" -v e="$(date +%s.%N)" -v b="$backlog" \
    'BEGIN { printf "  Delivered/sec: %.0f (%d replies); backlog at the end: %d\n", n / (e - s), n, b }'
  # Let the backlog drain before the next run, so each run starts from an empty queue.
  for _ in $(seq 120); do read -r _ backlog < <(python3 ../outbox_counts.py "$WORK/bench.db"); [ "$backlog" = 0 ] && break; sleep 1; done
done
kill $WATCH_PID 2>/dev/null || true
echo "peak RSS: $(( $(cat "$WORK/rss") / 1024 )) MB"

# DRAIN=1: the outbox's delivery capacity alone. A server with its dispatcher off takes a saturating load of `help`
# for DURATION, so the replies pile up; then a server with the dispatcher on (one core, no load) delivers them to the
# loopback Connector, timed from its start until the queue is empty.
if [ "${DRAIN:-0}" = 1 ]; then
  kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true
  start_server --Outbox:DispatcherEnabled=false
  COMMAND=help PACE_MS=0 wrk -t2 -c16 -d$DURATION -s message.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec"
  kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true
  read -r sent_before backlog < <(python3 ../outbox_counts.py "$WORK/bench.db")
  start=$(date +%s.%N)
  start_server
  for _ in $(seq 600); do read -r sent_after left < <(python3 ../outbox_counts.py "$WORK/bench.db"); [ "$left" = 0 ] && break; sleep 0.2; done
  awk -v n=$((sent_after - sent_before)) -v s="$start" -v e="$(date +%s.%N)" -v b="$backlog" -v l="$left" \
    'BEGIN { printf "drain: %d queued replies delivered in %.1f s (server start included) = %.0f/s; %d left\n", n, e - s, n / (e - s), l }'
fi

