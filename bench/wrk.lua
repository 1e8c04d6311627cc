-- bench/wrk.lua: the wrk script of bench/run, the same for vigil and the reference.
--
--   wrk ... -s bench/wrk.lua URL -- TOKEN IDS PAGES
--
-- TOKEN  a bearer token sent as "Authorization: Bearer TOKEN" ("-" for none)
-- IDS    a file of case ids, one a line: every request is GET /api/v1/cases/ID
--        for a random ID of the file ("-": every request is URL's path)
-- PAGES  with IDS "-", add "&page=P" for a random P in 1..PAGES ("-" or 1: none)
--
-- done() prints one line "BENCH key=value ..." that bench/run reads: the
-- request count, the duration, the responses that were not 2xx or 3xx, the
-- socket errors and the latency percentiles in microseconds.

local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("thread_no", thread_no)
end

local ids = {}
local headers = {}
local pages = 1

function init(args)
    local token, idfile = args[1], args[2]
    if token and token ~= "-" then
        headers["Authorization"] = "Bearer " .. token
    end
    if idfile and idfile ~= "-" then
        for line in io.lines(idfile) do
            ids[#ids + 1] = line
        end
        if #ids == 0 then
            error("no ids in " .. idfile)
        end
    end
    if args[3] and args[3] ~= "-" then
        pages = tonumber(args[3])
    end
    math.randomseed(os.time() * 16 + (thread_no or 0))
end

function request()
    if #ids > 0 then
        return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)], headers)
    end
    if pages > 1 then
        return wrk.format("GET", wrk.path .. "&page=" .. math.random(pages), headers)
    end
    return wrk.format("GET", nil, headers)
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("BENCH requests=%d duration_us=%d non2xx=%d connect=%d read=%d "
                           .. "write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
                           summary.requests, summary.duration, e.status, e.connect, e.read,
                           e.write, e.timeout, latency:percentile(50), latency:percentile(90),
                           latency:percentile(99), latency.max))
end
