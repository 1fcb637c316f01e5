-- wrk script of scripts/bench/wrk-load.ts: GETs the paths listed in a file (one per line), in turn from an
-- offset, and prints the run's figures as one JSON line marked "wrk-figures " when done.
-- Arguments (after wrk's "--"): the paths file, the index to start at.
local paths = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  next_index = tonumber(args[2]) or 0
end

function request()
  local path = paths[(next_index % #paths) + 1]
  next_index = next_index + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'wrk-figures {"requests":%d,"durationMicros":%d,"non2xx":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"p50Micros":%d,"p99Micros":%d}\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
