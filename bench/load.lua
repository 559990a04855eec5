-- wrk script for bench/load.py: replay a mixed list of requests, print figures as one JSON line.
-- The list comes from the file named by LOAD_REQUESTS: one request a line, "path<TAB>etag"
-- (etag empty, or the feed's current ETag, sent as If-None-Match as a feed reader would).

local requests = {}
for line in io.lines(os.getenv("LOAD_REQUESTS")) do
  local path, etag = line:match("^([^\t]*)\t?(.*)$")
  local headers = {}
  if etag ~= "" then headers["If-None-Match"] = etag end
  requests[#requests + 1] = wrk.format("GET", path, headers)
end

local counter = 0

function init(args)
  -- Each thread starts somewhere else in the list, so threads don't ask for the same pages.
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, _requests)
  local errors = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
      .. '"timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
end
