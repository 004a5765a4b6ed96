-- wrk script for make bench (bench/wrk.py): each request carries one of the session cookies given
-- after "--", in turn, so that the 20 connections are several signed-in people, not one session row
-- updated by all; at the end, one line of JSON with the figures bench/wrk.py reads.
local cookies = {}
local counter = 0

function init(args)
  for i, cookie in ipairs(args) do
    cookies[i] = cookie
  end
end

function request()
  counter = counter + 1
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(counter % #cookies) + 1]
  end
  return wrk.format("GET", nil, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
