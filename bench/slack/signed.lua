-- wrk script: replays pre-signed Slack requests (see make_requests.py), each thread from its own
-- slice of the file. DELAY_MS paces each connection, so connections × 1000 / DELAY_MS ≈ requests/s.
local requests = {}
local index = 0
local pace = tonumber(os.getenv("DELAY_MS") or "0")
local threads = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local path, ts, sig, ctype, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", path,
      { ["Content-Type"] = ctype, ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = sig }, body)
  end
  index = (number or 0) * math.floor(#requests / 8)
end

function request()
  index = index % #requests + 1
  return requests[index]
end

if pace > 0 then
  function delay()
    return pace
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
