package dev.packetstream.signaling.internal;

/**
 * The Lua scripts that change room membership in Redis. Each runs atomically, so the limits hold
 * across servers (a room of 4 is 4 in total) and every membership change gets one number of a
 * single sequence ({@code ps:seq}): the order every server delivers notices in.
 *
 * <h2>Keys</h2>
 * <ul>
 * <li>{@code ps:room:<room>}: hash, peer id → {@code node|role|order|address}</li>
 * <li>{@code ps:addr:<address>}: hash, room → the address's peers in it (for {@code maxRoomsPerAddress})</li>
 * <li>{@code ps:rooms}: set of the rooms with at least one member (for {@code maxRooms})</li>
 * <li>{@code ps:nodes}: set of the servers registered; {@code ps:alive:<node>}: a key with an
 * expiry each server renews (its presence); {@code ps:node:<node>}: set of its {@code room|id}</li>
 * <li>{@code ps:seq}: the sequence</li>
 * <li>channel {@code ps:to:<node>}: everything for one server, in one ordered stream
 * (see {@link ClusterMessages})</li>
 * </ul>
 * Room names, roles and peer ids are validated before they get here (no {@code |}, no newline).
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /** Publishes ARGV msg to every server with a member in the room, plus {@code also}, minus {@code except}. */
    private static final String PUBLISH_ROOM = """
            local function publishRoom(room, msg, also, except)
              local nodes = {}
              if also then nodes[also] = true end
              for _, v in ipairs(redis.call('HVALS', 'ps:room:' .. room)) do
                nodes[string.match(v, '^[^|]*')] = true
              end
              if except then nodes[except] = nil end
              for node in pairs(nodes) do redis.call('PUBLISH', 'ps:to:' .. node, msg) end
            end
            """;

    /** Removes one member, publishes its L to the room's servers and its own. */
    private static final String LEAVE_FUNCTION = PUBLISH_ROOM + """
            local function leave(room, id, node)
              local key = 'ps:room:' .. room
              local v = redis.call('HGET', key, id)
              if not v then return 0 end
              redis.call('HDEL', key, id)
              redis.call('SREM', 'ps:node:' .. node, room .. '|' .. id)
              local address = string.match(v, '^[^|]*|[^|]*|[^|]*|(.*)$')
              if address and redis.call('HINCRBY', 'ps:addr:' .. address, room, -1) <= 0 then
                redis.call('HDEL', 'ps:addr:' .. address, room)
              end
              if redis.call('HLEN', key) == 0 then redis.call('SREM', 'ps:rooms', room) end
              local seq = redis.call('INCR', 'ps:seq')
              local role = string.match(v, '^[^|]*|([^|]*)')
              publishRoom(room, 'L\\n' .. room .. '\\n' .. seq .. '\\n' .. id .. '\\n' .. role, node, nil)
              return seq
            end
            """;

    /**
     * ARGV: room, id, role, node, maxPeersPerRoom, maxRooms, address, maxRoomsPerAddress. Returns
     * {@code {"ok", seq, id=value...}} (the members before this one), or
     * {@code {"room-full"|"server-full"|"too-many-rooms", count}}, {@code {"gone"}} (this server is
     * not registered: it was presumed dead), {@code {"taken"}} (id in use).
     */
    static final String JOIN = PUBLISH_ROOM + """
            local room, id, role, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local key = 'ps:room:' .. room
            if redis.call('SISMEMBER', 'ps:nodes', node) == 0 then return {'gone'} end
            local all = redis.call('HGETALL', key)
            local n = #all / 2
            if n == 0 then
              local rooms = redis.call('SCARD', 'ps:rooms')
              if rooms >= tonumber(ARGV[6]) then return {'server-full', tostring(rooms)} end
            elseif n >= tonumber(ARGV[5]) then
              return {'room-full', tostring(n)}
            end
            local addressKey = 'ps:addr:' .. ARGV[7]
            if redis.call('HEXISTS', addressKey, room) == 0 then
              local held = redis.call('HLEN', addressKey)
              if held >= tonumber(ARGV[8]) then return {'too-many-rooms', tostring(held)} end
            end
            if redis.call('HEXISTS', key, id) == 1 then return {'taken'} end
            local seq = redis.call('INCR', 'ps:seq')
            local head = 'J\\n' .. room .. '\\n' .. seq .. '\\n' .. id .. '\\n' .. role .. '\\n' .. node .. '\\n' .. seq
            publishRoom(room, head, nil, node)
            redis.call('HINCRBY', addressKey, room, 1)
            redis.call('HSET', key, id, node .. '|' .. role .. '|' .. seq .. '|' .. ARGV[7])
            redis.call('SADD', 'ps:rooms', room)
            redis.call('SADD', 'ps:node:' .. node, room .. '|' .. id)
            local result = {'ok', tostring(seq)}
            local own = head
            for i = 1, #all, 2 do
              result[#result + 1] = all[i] .. '=' .. all[i + 1]
              own = own .. '\\n' .. all[i] .. '=' .. all[i + 1]
            end
            redis.call('PUBLISH', 'ps:to:' .. node, own)
            return result
            """;

    /** ARGV: room, id, node. Returns the leave's sequence number, or 0 if it was not a member. */
    static final String LEAVE = LEAVE_FUNCTION + """
            return leave(ARGV[1], ARGV[2], ARGV[3])
            """;

    /**
     * ARGV: node, presence expiry (ms). Renews this server's presence; returns 1 if it was not
     * registered (first time, or removed as dead, or Redis lost its data), else 0.
     */
    static final String HEARTBEAT = """
            redis.call('SET', 'ps:alive:' .. ARGV[1], '1', 'PX', ARGV[2])
            return redis.call('SADD', 'ps:nodes', ARGV[1])
            """;

    /** Removes every server whose presence expired, and its members (each with its L). Returns their ids. */
    static final String REAP = LEAVE_FUNCTION + """
            local reaped = {}
            for _, node in ipairs(redis.call('SMEMBERS', 'ps:nodes')) do
              if redis.call('EXISTS', 'ps:alive:' .. node) == 0 then
                for _, entry in ipairs(redis.call('SMEMBERS', 'ps:node:' .. node)) do
                  local room, id = string.match(entry, '^([^|]*)|(.*)$')
                  leave(room, id, node)
                end
                redis.call('DEL', 'ps:node:' .. node)
                redis.call('SREM', 'ps:nodes', node)
                reaped[#reaped + 1] = node
              end
            end
            return reaped
            """;

    /**
     * ARGV: node, then the ids of its peers now. Removes its members that are no longer connected
     * (they left while Redis was unreachable), each with its L. Returns how many.
     */
    static final String FORGET_GONE = LEAVE_FUNCTION + """
            local node = ARGV[1]
            local keep = {}
            for i = 2, #ARGV do keep[ARGV[i]] = true end
            local removed = 0
            for _, entry in ipairs(redis.call('SMEMBERS', 'ps:node:' .. node)) do
              local room, id = string.match(entry, '^([^|]*)|(.*)$')
              if not keep[id] then
                leave(room, id, node)
                redis.call('SREM', 'ps:node:' .. node, entry)
                removed = removed + 1
              end
            end
            return removed
            """;

    /**
     * ARGV: room, node, maxPeersPerRoom, maxRooms, least sequence number, then (id, role, order,
     * address) of each of its peers in the room. Puts back those missing (with a J to the other servers),
     * and raises the sequence to at least the given number (Redis may have restarted empty).
     * Returns {@code {seq, refusedCount, refused ids..., id=value...}}: the members now.
     */
    static final String REJOIN = PUBLISH_ROOM + """
            local room, node = ARGV[1], ARGV[2]
            local key = 'ps:room:' .. room
            local current = tonumber(redis.call('GET', 'ps:seq') or '0')
            if current < tonumber(ARGV[5]) then redis.call('SET', 'ps:seq', ARGV[5]) end
            local refused = {}
            for i = 6, #ARGV, 4 do
              local id, role, order, address = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
              if redis.call('HEXISTS', key, id) == 0 then
                local n = redis.call('HLEN', key)
                if n >= tonumber(ARGV[3]) or (n == 0 and redis.call('SCARD', 'ps:rooms') >= tonumber(ARGV[4])) then
                  refused[#refused + 1] = id
                else
                  local seq = redis.call('INCR', 'ps:seq')
                  publishRoom(room, 'J\\n' .. room .. '\\n' .. seq .. '\\n' .. id .. '\\n' .. role .. '\\n' .. node
                      .. '\\n' .. order, nil, node)
                  redis.call('HSET', key, id, node .. '|' .. role .. '|' .. order .. '|' .. address)
                  redis.call('HINCRBY', 'ps:addr:' .. address, room, 1)
                  redis.call('SADD', 'ps:rooms', room)
                  redis.call('SADD', 'ps:node:' .. node, room .. '|' .. id)
                end
              end
            end
            local result = {redis.call('GET', 'ps:seq') or '0', tostring(#refused)}
            for i = 1, #refused do result[#result + 1] = refused[i] end
            local all = redis.call('HGETALL', key)
            for i = 1, #all, 2 do result[#result + 1] = all[i] .. '=' .. all[i + 1] end
            return result
            """;
}
