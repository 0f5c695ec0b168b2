-- wrk script: every request is a fresh Slack request signed here, as Slack signs it:
-- X-Slack-Signature = "v0=" .. hex(HMAC-SHA256(secret, "v0:" .. timestamp .. ":" .. body)).
-- KIND=events sends app_mention callbacks with unique event ids; KIND=commands sends /kudos.
-- DELAY_MS paces each connection (connections × 1000 / DELAY_MS ≈ requests/s); 0 = as fast as possible.
-- SHA-256 is written out below on LuaJIT's bit library (wrk has no crypto).
local bit = require("bit")
local band, bor, bxor, bnot, ror, rshift, lshift, tobit, tohex =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.ror, bit.rshift, bit.lshift, bit.tobit, bit.tohex

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}
for i = 1, 64 do K[i] = tobit(K[i]) end
local H0 = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 }
for i = 1, 8 do H0[i] = tobit(H0[i]) end

local W = {}
-- Runs the compression function over every 64-byte block of s (whose length is a multiple of 64).
local function compress(H, s)
  for chunk = 1, #s, 64 do
    for t = 0, 15 do
      local a, b, c, d = s:byte(chunk + t * 4, chunk + t * 4 + 3)
      W[t] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for t = 16, 63 do
      local w15, w2 = W[t - 15], W[t - 2]
      local s0 = bxor(ror(w15, 7), ror(w15, 18), rshift(w15, 3))
      local s1 = bxor(ror(w2, 17), ror(w2, 19), rshift(w2, 10))
      W[t] = tobit(W[t - 16] + s0 + W[t - 7] + s1)
    end
    local a, b, c, d, e, f, g, h = H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
    for t = 0, 63 do
      local t1 = tobit(h + bxor(ror(e, 6), ror(e, 11), ror(e, 25)) + bxor(band(e, f), band(bnot(e), g)) + K[t + 1] + W[t])
      local t2 = tobit(bxor(ror(a, 2), ror(a, 13), ror(a, 22)) + bxor(band(a, b), band(a, c), band(b, c)))
      h, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + t2)
    end
    H[1], H[2], H[3], H[4] = tobit(H[1] + a), tobit(H[2] + b), tobit(H[3] + c), tobit(H[4] + d)
    H[5], H[6], H[7], H[8] = tobit(H[5] + e), tobit(H[6] + f), tobit(H[7] + g), tobit(H[8] + h)
  end
end

-- Finishes a hash whose state H has already absorbed `done` bytes (a multiple of 64) with the tail s.
local function finish(H, done, s)
  local bits = (done + #s) * 8
  local pad = 64 - ((#s + 9) % 64)
  if pad == 64 then pad = 0 end
  local len = ""
  for i = 7, 0, -1 do len = len .. string.char(math.floor(bits / 2 ^ (i * 8)) % 256) end
  compress(H, s .. "\128" .. string.rep("\0", pad) .. len)
  return H
end

local function copy(H) return { H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8] } end

local function binary(H)
  local out = {}
  for i = 1, 8 do
    local x = H[i]
    out[i] = string.char(band(rshift(x, 24), 255), band(rshift(x, 16), 255), band(rshift(x, 8), 255), band(x, 255))
  end
  return table.concat(out)
end

local function hex(H)
  local out = {}
  for i = 1, 8 do out[i] = tohex(H[i], 8) end
  return table.concat(out)
end

-- HMAC-SHA256 with the key's inner and outer pads absorbed once.
local function hmac_for(key)
  local ipad, opad = {}, {}
  for i = 1, 64 do
    local k = i <= #key and key:byte(i) or 0
    ipad[i], opad[i] = string.char(bxor(k, 0x36)), string.char(bxor(k, 0x5c))
  end
  local inner0, outer0 = copy(H0), copy(H0)
  compress(inner0, table.concat(ipad))
  compress(outer0, table.concat(opad))
  return function(message)
    local inner = finish(copy(inner0), 64, message)
    return hex(finish(copy(outer0), 64, binary(inner)))
  end
end

local secret = os.getenv("SECRET") or "bench-signing-secret"
local kind = os.getenv("KIND") or "events"
local pace = tonumber(os.getenv("DELAY_MS") or "0")
local sign = hmac_for(secret)
local threads = 0
local counter = 0

function setup(thread)
  thread:set("number", threads)
  threads = threads + 1
end

function init(args)
  -- Slack's documented worked example: refuse to run with a broken SHA-256.
  local check = hmac_for("8f742231b10e8888abcd99yyyzzz85a5")("v0:1531420618:token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
  assert(check == "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "SHA-256 self-test failed: " .. check)
  run = string.format("%d%04d", os.time() % 100000, (number or 0))
end

function request()
  counter = counter + 1
  local ts = tostring(os.time())
  local path, ctype, body
  if kind == "events" then
    path, ctype = "/slack/events", "application/json"
    body = string.format('{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"Ev%s%09d","event_time":%s,'
      .. '"event":{"type":"app_mention","user":"U0ANA","text":"<@UBOT> help %d","ts":"%s.%06d","channel":"C111","event_ts":"%s.%06d"}}',
      run, counter, ts, counter, ts, counter % 1000000, ts, counter % 1000000)
  else
    path, ctype = "/slack/commands", "application/x-www-form-urlencoded"
    body = string.format("token=x&team_id=T111&team_domain=bench&channel_id=C111&channel_name=general&user_id=U0ANA&user_name=ana"
      .. "&command=%%2Fkudos&text=%%3C%%40U0BOB%%7Cbob%%3E+thanks+for+case+%d&response_url=https%%3A%%2F%%2Fhooks.slack.com%%2Fcommands%%2FT111%%2F1%%2Fx&trigger_id=1.1.%d",
      counter, counter)
  end
  return wrk.format("POST", path, { ["Content-Type"] = ctype, ["X-Slack-Request-Timestamp"] = ts, ["X-Slack-Signature"] = "v0=" .. sign("v0:" .. ts .. ":" .. body) }, body)
end

if pace > 0 then
  function delay() return pace end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
