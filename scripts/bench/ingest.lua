-- wrk script for the ingest benchmark: each thread posts its share of the
-- pre-signed requests in REQUESTS_FILE (see ingest_requests.py), one each.
local threads, counter = {}, 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local requests, next_index = {}, 1
function init(args)
  local n = #args > 0 and tonumber(args[1]) or 2
  local i = 0
  for l in io.lines(os.getenv("REQUESTS_FILE")) do
    if i % n == id - 1 then
      local ts, sig, body = l:match("^(%d+)\t(%x+)\t(.*)$")
      table.insert(requests, wrk.format("POST", "/hooks/events", {
        ["Content-Type"] = "application/json",
        ["X-Switchboard-Timestamp"] = ts,
        ["X-Switchboard-Signature"] = "v1=" .. sig,
      }, body))
    end
    i = i + 1
  end
end

function request()
  local r = requests[next_index]
  if next_index < #requests then next_index = next_index + 1 end
  return r
end
