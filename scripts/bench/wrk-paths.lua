-- wrk script of scripts/bench/wrk-load.ts: GETs the paths listed in a file (one per line), in turn from an
-- offset, and prints the run's figures as one JSON line marked "wrk-figures " when done.
-- Arguments (after wrk's "--"): the paths file, the index to start at.
-- Each request is formatted once, in init, not at every request: the load generator's CPU is taken from the
-- servers it measures on a 2-core machine (formatting at every request cost wrk about 2 us more of user CPU per request).
local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then requests[#requests + 1] = wrk.format("GET", line) end
  end
  next_index = tonumber(args[2]) or 0
end

function request()
  local formatted = requests[(next_index % #requests) + 1]
  next_index = next_index + 1
  return formatted
end

function done(summary, latency)
  local errors = summary.errors
  io.write(string.format(
    'wrk-figures {"requests":%d,"durationMicros":%d,"non2xx":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"p50Micros":%d,"p99Micros":%d}\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
