-- wrk script: authenticated Teams message activities to /api/messages, each with its own id.
-- TOKEN and SERVICE_URL come from the environment (run.sh sets them).
local token = os.getenv("TOKEN")
local service_url = os.getenv("SERVICE_URL")
local counter = 0
local command = os.getenv("COMMAND") or "help"

-- Each wrk thread runs its own copy of this script: without a thread number and a seed of its own, every thread (and
-- every run) would send the same ids, which the bot rightly takes as resends and answers once.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

request = function()
  counter = counter + 1
  local body = string.format([[{"type":"message","id":"bench-%d-%d-%d","channelId":"msteams","serviceUrl":"%s","text":"<at>KudosRelay</at> %s","from":{"id":"29:bench-user","name":"Bench","aadObjectId":"aad-bench-user"},"conversation":{"id":"a:bench-personal","conversationType":"personal","tenantId":"bench-tenant"},"recipient":{"id":"28:bench-bot","name":"KudosRelay"},"entities":[{"type":"mention","text":"<at>KudosRelay</at>","mentioned":{"id":"28:bench-bot","name":"KudosRelay"}}],"channelData":{"tenant":{"id":"bench-tenant"}}}]],
    id or 0, math.random(1, 1000000000), counter, service_url, command)
  return wrk.format("POST", "/api/messages", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

-- PACE_MS: wait this long after each response on a connection, to hold a target rate
-- (about connections x 1000 / PACE_MS requests/s) instead of saturating the server.
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
  delay = function() return pace end
end
