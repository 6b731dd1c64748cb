package dev.wakegate.state.redis;

/**
 * The Lua scripts behind {@link RedisStateStore}: each makes one batch atomic and costs one round
 * trip. Times that must agree between instances (usage expiry) come from Redis' own clock.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /**
     * Epoch millis to ISO-8601 UTC to the second (days-to-civil from H. Hinnant's date algorithms),
     * and a record with its last_access replaced. The replacement edits the JSON text so the field
     * order the Java side wrote stays readable in redis-cli; cjson is the fallback.
     */
    private static final String HELPERS = """
            local function iso(ms)
              local s = math.floor(ms / 1000)
              local days = math.floor(s / 86400)
              local secs = s - days * 86400
              local z = days + 719468
              local era = math.floor(z / 146097)
              local doe = z - era * 146097
              local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
              local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
              local mp = math.floor((5 * doy + 2) / 153)
              local d = doy - math.floor((153 * mp + 2) / 5) + 1
              local m = mp < 10 and mp + 3 or mp - 9
              local y = yoe + era * 400
              if m <= 2 then y = y + 1 end
              return string.format('%04d-%02d-%02dT%02d:%02d:%02dZ', y, m, d,
                math.floor(secs / 3600), math.floor((secs % 3600) / 60), secs % 60)
            end
            local function with_access(rec, ms)
              local stamp = '"last_access":"' .. iso(ms) .. '"'
              local out, n = string.gsub(rec, '"last_access":%s*"[^"]*"', stamp, 1)
              if n == 0 then out, n = string.gsub(rec, '"last_access":%s*null', stamp, 1) end
              if n == 0 then
                local ok, obj = pcall(cjson.decode, rec)
                if not ok or type(obj) ~= 'table' then return rec end
                obj['last_access'] = iso(ms)
                out = cjson.encode(obj)
              end
              return out
            end
            """;

    /**
     * KEYS: last-access hash, container_states. ARGV: name, epochMillis, name, epochMillis...
     * Raises each shared last access to at least the given value, and mirrors a raise into the
     * container's record when it has one. Returns how many were raised.
     */
    static final LuaScript RECORD_ACCESS = LuaScript.of("record-access", HELPERS + """
            local raised = 0
            for i = 1, #ARGV, 2 do
              local name, ms = ARGV[i], tonumber(ARGV[i + 1])
              local cur = tonumber(redis.call('HGET', KEYS[1], name))
              if cur == nil or ms > cur then
                redis.call('HSET', KEYS[1], name, ARGV[i + 1])
                local rec = redis.call('HGET', KEYS[2], name)
                if rec then redis.call('HSET', KEYS[2], name, with_access(rec, ms)) end
                raised = raised + 1
              end
            end
            return raised
            """);

    /**
     * KEYS: container_states, last-access hash. ARGV: name, json, epochMillis-or-empty, ...
     * Writes the records, but never with a last access older than the shared one (a record built
     * from a stale view must not undo another instance's access); a newer one raises the shared value.
     */
    static final LuaScript SAVE_RECORDS = LuaScript.of("save-records", HELPERS + """
            for i = 1, #ARGV, 3 do
              local name, rec, ms = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
              local shared = tonumber(redis.call('HGET', KEYS[2], name))
              if shared ~= nil and (ms == nil or shared > ms) then
                rec = with_access(rec, shared)
              elseif ms ~= nil then
                redis.call('HSET', KEYS[2], name, ARGV[i + 2])
              end
              redis.call('HSET', KEYS[1], name, rec)
            end
            return #ARGV / 3
            """);

    /** KEYS: lease key. ARGV: owner. Deletes the lease only while the owner holds it. */
    static final LuaScript RELEASE_LEASE = LuaScript.of("release-lease", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /**
     * KEYS: this instance's usage hash, the live-instances sorted set. ARGV: instance, ttlMillis,
     * name, count, ... Replaces the hash (zero counts left out), expires it after ttl, and records
     * the instance as live until now + ttl by Redis' clock.
     */
    static final LuaScript PUBLISH_USAGE = LuaScript.of("publish-usage", """
            redis.call('DEL', KEYS[1])
            for i = 3, #ARGV, 2 do
              if tonumber(ARGV[i + 1]) ~= 0 then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
            return 1
            """);

    /**
     * KEYS: the live-instances sorted set. ARGV: instance to leave out, usage-hash key prefix.
     * Drops instances whose expiry passed and returns name, sum, name, sum, ... over the others.
     * (Reads usage hashes whose names it derives, so this store targets a single Redis, not a cluster.)
     */
    static final LuaScript LOAD_USAGE = LuaScript.of("load-usage", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local sums, order = {}, {}
            for _, inst in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              if inst ~= ARGV[1] then
                local flat = redis.call('HGETALL', ARGV[2] .. inst)
                for i = 1, #flat, 2 do
                  local name = flat[i]
                  if sums[name] == nil then sums[name] = 0; order[#order + 1] = name end
                  sums[name] = sums[name] + tonumber(flat[i + 1])
                end
              end
            end
            local out = {}
            for _, name in ipairs(order) do
              out[#out + 1] = name
              out[#out + 1] = tostring(sums[name])
            end
            return out
            """);
}
