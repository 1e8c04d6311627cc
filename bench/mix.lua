-- bench/mix.lua: the wrk script of bench/soak, a mix of the traffic of a
-- working day, after the examples Debian's wrk ships (auth.lua: take a token
-- from a response; setup.lua: per-thread counters gathered in done()).
--
--   wrk ... -s bench/mix.lua URL -- USERNAME PASSWORD IDS
--
-- IDS is a file of case ids, one a line, that USERNAME may read and patch.
-- Each thread logs in first, then sends, at random:
--    2%  POST /api/v1/session               (a new login; its token is used from then on)
--   28%  GET  /api/v1/cases?page=P          (the list)
--   30%  GET  /api/v1/cases/ID              (remembers ID's version)
--   20%  PATCH /api/v1/cases/ID, If-Match   (the version last seen; 409 when another
--                                            thread got there first, which is not an error)
--   20%  POST /api/v1/cases/ID/notes
-- done() prints one line "SOAK key=value ..." that bench/soak reads.

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    table.insert(threads, thread)
end

local ids = {}
local versions = {}
local login_body
local token = nil
local seq = 0

function init(args)
    login_body = string.format('{"username":"%s","password":"%s"}', args[1], args[2])
    for line in io.lines(args[3]) do
        ids[#ids + 1] = line
    end
    if #ids == 0 then
        error("no ids in " .. args[3])
    end
    math.randomseed(os.time() * 64 + id)
    ok2xx, c409, c4xx, c5xx, logins, patches, notes = 0, 0, 0, 0, 0, 0, 0
end

local function auth()
    return {["Authorization"] = "Bearer " .. (token or "-"),
            ["Content-Type"] = "application/json"}
end

local function login()
    logins = logins + 1
    return wrk.format("POST", "/api/v1/session", {["Content-Type"] = "application/json"},
                      login_body)
end

function request()
    if not token then
        return login()
    end
    seq = seq + 1
    local r = math.random(100)
    local id = ids[math.random(#ids)]
    if r <= 2 then
        return login()
    elseif r <= 30 then
        return wrk.format("GET", "/api/v1/cases?per_page=20&page=" .. math.random(5), auth())
    elseif r <= 60 then
        return wrk.format("GET", "/api/v1/cases/" .. id, auth())
    elseif r <= 80 then
        local h = auth()
        h["If-Match"] = '"' .. (versions[id] or 1) .. '"'
        patches = patches + 1
        return wrk.format("PATCH", "/api/v1/cases/" .. id, h,
                          string.format('{"place_of_exploitation":"soak %d-%d"}', id, seq))
    else
        notes = notes + 1
        return wrk.format("POST", "/api/v1/cases/" .. id .. "/notes", auth(),
                          string.format('{"text":"soak note %d"}', seq))
    end
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok2xx = ok2xx + 1
        local t = body:match('"token"%s*:%s*"([^"]+)"')
        if t then
            token = t
            return
        end
        -- a case (GET or PATCH): remember its version for the next If-Match
        local cid = body:match('^{"id"%s*:%s*(%d+)')
        local v = body:match('"version"%s*:%s*(%d+)')
        if cid and v and body:match('"reference"') and not body:match('"items"') then
            versions[cid] = v
        end
    elseif status == 409 then
        c409 = c409 + 1
    elseif status >= 500 then
        c5xx = c5xx + 1
    else
        c4xx = c4xx + 1
    end
end

function done(summary, latency, requests)
    local t = {ok2xx = 0, c409 = 0, c4xx = 0, c5xx = 0, logins = 0, patches = 0, notes = 0}
    for _, thread in ipairs(threads) do
        for k, _ in pairs(t) do
            t[k] = t[k] + (thread:get(k) or 0)
        end
    end
    local e = summary.errors
    io.write(string.format("SOAK requests=%d duration_us=%d ok2xx=%d c409=%d c4xx=%d c5xx=%d "
                           .. "logins=%d patches=%d notes=%d connect=%d read=%d write=%d "
                           .. "timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
                           summary.requests, summary.duration, t.ok2xx, t.c409, t.c4xx, t.c5xx,
                           t.logins, t.patches, t.notes, e.connect, e.read, e.write, e.timeout,
                           latency:percentile(50), latency:percentile(99), latency.max))
end
