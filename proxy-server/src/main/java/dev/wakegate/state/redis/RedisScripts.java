package dev.wakegate.state.redis;

/**
 * The Lua scripts behind {@link RedisStateStore}: each makes one batch atomic and costs one round
 * trip. Every instant that instances compare comes from Redis' own clock ({@code TIME}): the Java
 * side sends and receives ages, never its own wall-clock time.
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

    /** The store's clock: Redis TIME in epoch millis. */
    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * KEYS: last-access hash, container_states. ARGV: name, ageMillis, name, ageMillis...
     * Raises each shared last access to at least now - age (Redis' clock), replacing a stored value
     * in the future, and mirrors a raise into the container's record when it has one. Returns how
     * many were raised.
     */
    static final LuaScript RECORD_ACCESS = LuaScript.of("record-access", HELPERS + NOW + """
            local raised = 0
            for i = 1, #ARGV, 2 do
              local name = ARGV[i]
              local ms = now - math.max(0, tonumber(ARGV[i + 1]))
              local cur = tonumber(redis.call('HGET', KEYS[1], name))
              if cur == nil or ms > cur or cur > now then
                redis.call('HSET', KEYS[1], name, tostring(ms))
                local rec = redis.call('HGET', KEYS[2], name)
                if rec then redis.call('HSET', KEYS[2], name, with_access(rec, ms)) end
                raised = raised + 1
              end
            end
            return raised
            """);

    /**
     * KEYS: last-access hash. Returns name, ageMillis, ... by Redis' clock, leaving out values in the
     * future (refused: written by a host whose clock ran fast).
     */
    static final LuaScript LOAD_ACCESS_AGES = LuaScript.of("load-access-ages", NOW + """
            local out = {}
            local flat = redis.call('HGETALL', KEYS[1])
            for i = 1, #flat, 2 do
              local ms = tonumber(flat[i + 1])
              if ms ~= nil and ms <= now then
                out[#out + 1] = flat[i]
                out[#out + 1] = tostring(now - ms)
              end
            end
            return out
            """);

    /**
     * KEYS: container_states, last-access hash. ARGV: name, json, name, json, ...
     * Writes the records with the shared last access in place of whatever they say (a record built
     * from a stale view, or on a host with a wrong clock, must not move it); null when there is none.
     */
    static final LuaScript SAVE_RECORDS = LuaScript.of("save-records", HELPERS + NOW + """
            for i = 1, #ARGV, 2 do
              local name, rec = ARGV[i], ARGV[i + 1]
              local shared = tonumber(redis.call('HGET', KEYS[2], name))
              if shared ~= nil and shared <= now then
                rec = with_access(rec, shared)
              end
              redis.call('HSET', KEYS[1], name, rec)
            end
            return #ARGV / 2
            """);

    /** KEYS: lease key. ARGV: owner, ttlMillis. Sets the lease when free or already the owner's; 1 when the owner holds it. */
    static final LuaScript ACQUIRE_LEASE = LuaScript.of("acquire-lease", """
            local cur = redis.call('GET', KEYS[1])
            if cur == false or cur == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """);

    /** KEYS: lease key. ARGV: owner, ttlMillis. Extends the lease only while the owner holds it. */
    static final LuaScript RENEW_LEASE = LuaScript.of("renew-lease", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """);

    /** KEYS: lease key. ARGV: owner. Deletes the lease only while the owner holds it. */
    static final LuaScript RELEASE_LEASE = LuaScript.of("release-lease", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /**
     * KEYS: this instance's usage hash, the members hash, the cordons hash, the left hash. ARGV: instance,
     * ttlMillis, field, count, ... (container counts, and cordon acknowledgements as
     * {@code @ack:<id>}). Replaces the usage hash (zero container counts left out), expires it after
     * ttl, records the instance as a member last seen now (Redis' clock), drops expired cordons
     * and returns the others as container, id, owner, remainingMillis, ...
     */
    static final LuaScript HEARTBEAT = LuaScript.of("heartbeat", NOW + """
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('DEL', KEYS[1])
            for i = 3, #ARGV, 2 do
              if tonumber(ARGV[i + 1]) ~= 0 or string.sub(ARGV[i], 1, 1) == '@' then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              end
            end
            redis.call('HSET', KEYS[1], '@seen', tostring(now))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[1], tostring(now))
            local out = {}
            local flat = redis.call('HGETALL', KEYS[3])
            for i = 1, #flat, 2 do
              local id, owner, expires = string.match(flat[i + 1], '^(%S+) (%S+) (%d+)$')
              if expires == nil or tonumber(expires) <= now then
                redis.call('HDEL', KEYS[3], flat[i])
              else
                out[#out + 1] = flat[i]
                out[#out + 1] = id
                out[#out + 1] = owner
                out[#out + 1] = tostring(tonumber(expires) - now)
              end
            end
            return out
            """);

    /**
     * KEYS: the members hash, the left hash. ARGV: instance to leave out, usage-hash key prefix,
     * how long (millis) a left instance is reported. Returns, for every other member: instance,
     * silentMillis, presence (2 live: its usage hash has not expired; 1 silent), and the flat usage
     * hash (field, value, ...) as a nested list; then for every instance that left: instance, 0,
     * 0, {}. Drops left entries older than the given time. (Reads usage hashes whose names it
     * derives, so this store targets a single Redis, not a cluster.)
     */
    static final LuaScript LOAD_PEERS = LuaScript.of("load-peers", NOW + """
            local out = {}
            local members = redis.call('HGETALL', KEYS[1])
            local isMember = {}
            for i = 1, #members, 2 do
              local inst = members[i]
              isMember[inst] = true
              if inst ~= ARGV[1] then
                local flat = redis.call('HGETALL', ARGV[2] .. inst)
                out[#out + 1] = inst
                out[#out + 1] = tostring(math.max(0, now - tonumber(members[i + 1])))
                out[#out + 1] = #flat > 0 and 2 or 1
                out[#out + 1] = flat
              end
            end
            local gone = redis.call('HGETALL', KEYS[2])
            for i = 1, #gone, 2 do
              local inst = gone[i]
              if now - tonumber(gone[i + 1]) > tonumber(ARGV[3]) then
                redis.call('HDEL', KEYS[2], inst)
              elseif inst ~= ARGV[1] and not isMember[inst] then
                out[#out + 1] = inst
                out[#out + 1] = '0'
                out[#out + 1] = 0
                out[#out + 1] = {}
              end
            end
            return out
            """);

    /**
     * KEYS: members hash, the instance's usage hash, the left hash. ARGV: instance. Removes the
     * membership and usage and records the instance as left now.
     */
    static final LuaScript LEAVE = LuaScript.of("leave", NOW + """
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('DEL', KEYS[2])
            redis.call('HSET', KEYS[3], ARGV[1], tostring(now))
            return 1
            """);

    /** KEYS: cordons hash. ARGV: owner, ttlMillis, container, id, ... Each cordon expires at now + ttl. */
    static final LuaScript PUT_CORDONS = LuaScript.of("put-cordons", NOW + """
            local expires = tostring(now + tonumber(ARGV[2]))
            for i = 3, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ' ' .. ARGV[1] .. ' ' .. expires)
            end
            return 1
            """);

    /** KEYS: cordons hash. ARGV: container, id. Deletes the cordon only while it is still that one. */
    static final LuaScript LIFT_CORDON = LuaScript.of("lift-cordon", """
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            if cur and string.sub(cur, 1, #ARGV[2] + 1) == ARGV[2] .. ' ' then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0
            """);
}
