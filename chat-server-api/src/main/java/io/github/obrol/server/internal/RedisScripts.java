package io.github.obrol.server.internal;

/**
 * The Lua scripts of {@link RedisRouter}. Each runs atomically in Redis, so a check (is the name free, is the
 * sender still logged in, is the recipient logged in) and the entry it appends to the shared log are one
 * step: the log's order is the cluster's order of events (CLUSTER-1).
 *
 * <p>Keys (all under {@code obrol:}): {@code log} the stream of events; {@code users} a hash from the
 * lower-cased name to {@code node TAB member TAB joinId TAB name}; {@code nodes} the set of live node
 * incarnations; {@code alive:N} node N's heartbeat, with expiry; {@code on:N} the name keys of node N's
 * users; {@code seq:N} the last sequence number of each of node N's members, so a command that Lettuce sends
 * again after a reconnect (it may have run already) is not applied twice.
 *
 * <p>Common arguments: ARGV[1] node incarnation, ARGV[2] sequence number, ARGV[3] member id, ARGV[4] the
 * stream's approximate maximum length. Every script returns a list whose first element is {@code ok},
 * {@code no} (followed by the log's last id, for the caller to wait for), {@code dup} (ran before) or
 * {@code gone} (the node or the sender is no longer registered).
 */
final class RedisScripts {
  private RedisScripts() {}

  static final String PREFIX = "obrol:";
  static final String LOG = PREFIX + "log";

  private static final String PRELUDE = """
      local P = 'obrol:'
      local inc, seq, mid, maxlen = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
      local function lastid()
        local e = redis.call('XREVRANGE', P .. 'log', '+', '-', 'COUNT', 1)
        if #e == 0 then return '0-0' end
        return e[1][1]
      end
      local function dup()
        local last = tonumber(redis.call('HGET', P .. 'seq:' .. inc, mid) or '0')
        if seq <= last then return true end
        redis.call('HSET', P .. 'seq:' .. inc, mid, ARGV[2])
        return false
      end
      local function owner(v)
        return string.sub(v, 1, #inc + #mid + 2) == inc .. '\\t' .. mid .. '\\t'
      end
      local function owns(key)
        local v = redis.call('HGET', P .. 'users', key)
        return v and owner(v)
      end
      local function xadd(...)
        return redis.call('XADD', P .. 'log', 'MAXLEN', '~', maxlen, '*', 'o', inc, 's', ARGV[2], 'm', mid, ...)
      end
      """;

  /** ARGV[5] name key, ARGV[6] name. */
  static final String LOGIN = PRELUDE + """
      local key, name = ARGV[5], ARGV[6]
      if redis.call('SISMEMBER', P .. 'nodes', inc) == 0 then return {'gone'} end
      local v = redis.call('HGET', P .. 'users', key)
      if v then
        if owner(v) then return {'dup'} end
        return {'no', lastid()}
      end
      if dup() then return {'dup'} end
      local id = xadd('t', 'J', 'n', name)
      redis.call('HSET', P .. 'users', key, inc .. '\\t' .. mid .. '\\t' .. id .. '\\t' .. name)
      redis.call('SADD', P .. 'on:' .. inc, key)
      return {'ok', id}
      """;

  /** ARGV[5] name key, ARGV[6] reason, ARGV[7] detail, ARGV[8] node not to tell (or empty). */
  static final String DEPART = PRELUDE + """
      local key = ARGV[5]
      local v = redis.call('HGET', P .. 'users', key)
      if not v or not owner(v) then return {'no'} end
      local name = string.match(v, '^[^\\t]*\\t[^\\t]*\\t[^\\t]*\\t(.*)$')
      redis.call('HDEL', P .. 'users', key)
      redis.call('SREM', P .. 'on:' .. inc, key)
      redis.call('HDEL', P .. 'seq:' .. inc, mid)
      xadd('t', 'L', 'n', name, 'r', ARGV[6], 'd', ARGV[7], 'q', ARGV[8])
      return {'ok'}
      """;

  /** ARGV[5] sender's name key, ARGV[6] sender's name, ARGV[7] text. */
  static final String BROADCAST = PRELUDE + """
      if dup() then return {'dup'} end
      if not owns(ARGV[5]) then return {'gone'} end
      xadd('t', 'M', 'f', ARGV[6], 'x', ARGV[7])
      return {'ok'}
      """;

  /** ARGV[5] sender's name key, ARGV[6] sender's name, ARGV[7] recipient's name key, ARGV[8] text. */
  static final String SEND_TO = PRELUDE + """
      if dup() then return {'dup'} end
      if not owns(ARGV[5]) then return {'gone'} end
      if redis.call('HEXISTS', P .. 'users', ARGV[7]) == 0 then return {'no', lastid()} end
      xadd('t', 'P', 'f', ARGV[6], 'k', ARGV[7], 'x', ARGV[8])
      return {'ok'}
      """;

  /**
   * An administrator's notice ({@code N}, ARGV[5] empty: to everyone; {@code U}: to the user whose name key
   * is ARGV[5]) or kick ({@code K}, ARGV[5] the name key); ARGV[6] the kind, ARGV[7] the text.
   */
  static final String ADMIN = PRELUDE + """
      if ARGV[5] ~= '' and redis.call('HEXISTS', P .. 'users', ARGV[5]) == 0 then return {'no', lastid()} end
      xadd('t', ARGV[6], 'k', ARGV[5], 'x', ARGV[7])
      return {'ok'}
      """;

  /** The log's last id: the position a barrier waits for. */
  static final String LAST_ID = PRELUDE + """
      return {'ok', lastid()}
      """;

  /** ARGV[5] heartbeat time to live in milliseconds. */
  static final String HEARTBEAT = PRELUDE + """
      if redis.call('SISMEMBER', P .. 'nodes', inc) == 0 then return {'gone'} end
      redis.call('SET', P .. 'alive:' .. inc, '1', 'PX', ARGV[5])
      return {'ok'}
      """;

  /**
   * Registers node ARGV[1] (heartbeat time to live ARGV[5] ms) and returns a consistent snapshot: {@code ok},
   * the log's last id, then the {@code users} hash as key, value pairs.
   */
  static final String REGISTER = PRELUDE + """
      redis.call('SADD', P .. 'nodes', inc)
      redis.call('SET', P .. 'alive:' .. inc, '1', 'PX', ARGV[5])
      local out = {'ok', lastid()}
      local users = redis.call('HGETALL', P .. 'users')
      for i = 1, #users do out[#out + 1] = users[i] end
      return out
      """;

  /**
   * Announces the departure of every user of every node whose heartbeat expired (ARGV[5] empty), or of node
   * ARGV[5] whatever its heartbeat (a node leaving, or giving up after losing Redis), and forgets the node.
   * ARGV[6] the leave reason, ARGV[7] whether the node's own users are told ({@code 1}) or not. Atomic, so
   * each user's leave notice is written once whichever node runs it first (CLUSTER-3). Returns {@code ok}
   * and the number of users announced.
   */
  static final String REAP = PRELUDE + """
      local nodes
      if ARGV[5] ~= '' then nodes = {ARGV[5]} else nodes = redis.call('SMEMBERS', P .. 'nodes') end
      local n = 0
      for _, node in ipairs(nodes) do
        if ARGV[5] ~= '' or redis.call('EXISTS', P .. 'alive:' .. node) == 0 then
          local quiet = ''
          if ARGV[7] ~= '1' then quiet = node end
          for _, key in ipairs(redis.call('SMEMBERS', P .. 'on:' .. node)) do
            local v = redis.call('HGET', P .. 'users', key)
            if v and string.sub(v, 1, #node + 1) == node .. '\\t' then
              local m, name = string.match(v, '^[^\\t]*\\t([^\\t]*)\\t[^\\t]*\\t(.*)$')
              redis.call('HDEL', P .. 'users', key)
              redis.call('XADD', P .. 'log', 'MAXLEN', '~', maxlen, '*', 'o', node, 's', '0', 'm', m,
                  't', 'L', 'n', name, 'r', ARGV[6], 'd', '', 'q', quiet)
              n = n + 1
            end
          end
          redis.call('DEL', P .. 'on:' .. node, P .. 'seq:' .. node, P .. 'alive:' .. node)
          redis.call('SREM', P .. 'nodes', node)
        end
      end
      return {'ok', tostring(n)}
      """;
}
