-- The relay cluster's shared state (issue 14): every rule is one call of this script, so it
-- runs atomically across all nodes, and every time is the Redis server's own TIME (one clock
-- for all machines). relay/cluster/redis_state.py calls it as
--   EVALSHA <sha> 0 <prefix> <op> <args...>
-- and mirrors relay/pairing.py (NameplateAllocator) and relay/limits.py (KeyedRate,
-- JoinLimiter, FloodGuard) rule for rule; read those for the why of each rule.
--
-- Every key gets a TTL whenever it is written, and every growing structure is pruned or
-- bounded, so a flood cannot grow Redis without limit. Keys are built here from the prefix
-- (a single Redis primary, not Redis Cluster: the keys of one rule live on one server).
--
-- Keys (P = prefix):
--   P np:<nameplate>   hash s=open|joined|held|expired, u=open until, node, conn
--   P taken:<digits>   zset nameplate -> time it stops being taken (crowding per length)
--   P open, P held     zsets nameplate -> until (for /metrics)
--   P rw:<token>       hash role, node, conn: the resume waiter
--   P rs:<token>       string refused|expired: a spent token (for resume_grace)
--   P h:<key>          hash second -> hosts (KeyedRate)
--   P ja:<key>         list of join attempt times; P jf:<key> failure times; P jl:<key> lockout end
--   P ff, P fw         hash second -> failed joins (all; at most PER_KEY_SHARE per block)
--   P fk:<key>         hash second -> a block's failed joins counted towards P fw
--   P fd               hash d, u: lengthened nameplate digits and until when
--   P fs               the flood gate's next slot
--   P reg              zset node -> alive until;  P node:<id> hash its NodeInfo
--   P up:<node>        hash address block -> that node's unpaired connections

local P = ARGV[1]
local op = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000

local MIN_DIGITS, MAX_DIGITS = 3, 7
local BURST = 5.0
local PER_KEY_SHARE = 2
local SPACE_PER_FAILURE = 1000
local FAILURE_LOG_CAP = 1000  -- failure times kept per block (the lockout is capped anyway)

local function ms(seconds)
  return math.max(1, math.ceil(seconds * 1000))
end

local function num(s)
  return string.format('%.6f', s)
end

-- --- sliding counts in whole-second buckets (relay/limits.py's SlidingCount) -------------

-- Events within the last `period` seconds; buckets older than `keep` are dropped.
local function slide_count(key, period, keep)
  local h = redis.call('HGETALL', key)
  local total = 0
  for i = 1, #h, 2 do
    local sec = tonumber(h[i])
    if sec + 1 <= now - keep then
      redis.call('HDEL', key, h[i])
    elseif sec + 1 > now - period then
      total = total + tonumber(h[i + 1])
    end
  end
  return total
end

local function slide_add(key, keep)
  slide_count(key, keep, keep)
  redis.call('HINCRBY', key, string.format('%d', math.floor(now)), 1)
  redis.call('PEXPIRE', key, ms(keep + 2))
end

-- --- the node registry ------------------------------------------------------------------

local function alive(node)
  local score = redis.call('ZSCORE', P .. 'reg', node)
  return score and tonumber(score) > now
end

local function live_nodes()
  redis.call('ZREMRANGEBYSCORE', P .. 'reg', '-inf', num(now))
  return redis.call('ZRANGEBYSCORE', P .. 'reg', '(' .. num(now), '+inf')
end

local function node_entry(node)
  local h = redis.call('HMGET', P .. 'node:' .. node, 'url', 'draining', 'connections',
                       'sessions')
  return {node, h[1] or '', h[2] or '0', h[3] or '0', h[4] or '0'}
end

-- --- nameplates (relay/pairing.py's NAMEPLATE_TRANSITIONS) ------------------------------

-- Longest time any nameplate zset entry can still matter: they all get this TTL.
local function zset_ttl(lifetime, hold)
  return ms(lifetime + hold + 60)
end

local function purge_taken(digits)
  local key = P .. 'taken:' .. digits
  redis.call('ZREMRANGEBYSCORE', key, '-inf', num(now))
  return key
end

-- The state as the allocator sees it after purging: an open one past its time is expired.
local function plate(n)
  local h = redis.call('HMGET', P .. 'np:' .. n, 's', 'u', 'node', 'conn')
  local s = h[1]
  if not s then
    return 'free', h
  end
  if s == 'open' and tonumber(h[2]) <= now then
    return 'expired', h
  end
  return s, h
end

local function set_taken(n, untill, lifetime, hold)
  local key = P .. 'taken:' .. #n
  redis.call('ZADD', key, num(untill), n)
  redis.call('PEXPIRE', key, zset_ttl(lifetime, hold))
end

local function untake(n)
  redis.call('ZREM', P .. 'taken:' .. #n, n)
  redis.call('ZREM', P .. 'open', n)
end

local ops = {}

-- ARGV: min_digits lifetime hold crowd_fraction count node conn draws...
-- (count random integers below 9 * 10^(MAX_DIGITS-1) drawn by the node with `secrets`: the
-- candidate of a length is its lowest number plus a draw modulo its size, uniform because
-- every length's size divides the largest one)
function ops.allocate()
  local min_digits = tonumber(ARGV[3])
  local lifetime, hold = tonumber(ARGV[4]), tonumber(ARGV[5])
  local crowd, per_length = tonumber(ARGV[6]), tonumber(ARGV[7])
  local node, conn = ARGV[8], ARGV[9]
  local first = math.max(MIN_DIGITS, math.min(min_digits, MAX_DIGITS))
  local digits = first
  while true do
    local capacity = 9 * 10 ^ (digits - 1)
    if redis.call('ZCARD', purge_taken(digits)) < capacity * crowd then
      break
    end
    if digits >= MAX_DIGITS then
      return {'exhausted'}
    end
    digits = digits + 1
  end
  -- A nameplate that expired minutes ago is avoided while others are easy to find.
  local low, size = 10 ^ (digits - 1), 9 * 10 ^ (digits - 1)
  local chosen = nil
  for i = 1, per_length do
    local candidate = string.format('%d', low + tonumber(ARGV[9 + i]) % size)
    local s = plate(candidate)
    if s == 'free' or (s == 'expired' and i > 20) then
      chosen = candidate
      break
    end
  end
  if not chosen then
    return {'retry'}
  end
  local key = P .. 'np:' .. chosen
  local untill = now + lifetime
  redis.call('DEL', key)
  redis.call('HSET', key, 's', 'open', 'u', num(untill), 'node', node, 'conn', conn)
  redis.call('PEXPIRE', key, ms(lifetime + math.min(hold, lifetime)))
  set_taken(chosen, untill, lifetime, hold)
  redis.call('ZADD', P .. 'open', num(untill), chosen)
  redis.call('PEXPIRE', P .. 'open', zset_ttl(lifetime, hold))
  return {'ok', chosen}
end

-- ARGV: nameplate lifetime hold
function ops.claim()
  local n, lifetime, hold = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  local s, h = plate(n)
  if s == 'free' then
    return {'unknown'}
  elseif s == 'joined' then
    return {'already_joined'}
  elseif s == 'held' then
    return {'spent'}
  elseif s == 'expired' then
    return {'expired'}
  end
  local key = P .. 'np:' .. n
  redis.call('HSET', key, 's', 'joined')
  redis.call('HDEL', key, 'u', 'node', 'conn')
  -- A joined nameplate is spent. Its hold starts now and is renewed at release: if its
  -- node dies and never releases it, the key still goes after a day (the rule's purpose,
  -- a used code reaching no other customer within a day, holds either way).
  redis.call('PEXPIRE', key, ms(hold))
  set_taken(n, now + hold, lifetime, hold)
  redis.call('ZREM', P .. 'open', n)
  return {'ok', h[3] or '', h[4] or ''}
end

-- ARGV: nameplate lifetime hold
function ops.release()
  local n, lifetime, hold = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  local key = P .. 'np:' .. n
  local s = redis.call('HGET', key, 's')
  if s == 'open' then
    redis.call('DEL', key)
    untake(n)
  elseif s == 'joined' then
    redis.call('HSET', key, 's', 'held')
    redis.call('PEXPIRE', key, ms(hold))
    set_taken(n, now + hold, lifetime, hold)
    redis.call('ZADD', P .. 'held', num(now + hold), n)
    redis.call('PEXPIRE', P .. 'held', zset_ttl(lifetime, hold))
  end
  return {'ok'}
end

-- ARGV: nameplate lifetime hold
function ops.expire()
  local n, lifetime, hold = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  local key = P .. 'np:' .. n
  if redis.call('HGET', key, 's') == 'open' then
    redis.call('HSET', key, 's', 'expired')
    redis.call('HDEL', key, 'u', 'node', 'conn')
    redis.call('PEXPIRE', key, ms(math.min(hold, lifetime)))
    untake(n)
  end
  return {'ok'}
end

-- --- the flood guard (relay/limits.py's FloodGuard) -------------------------------------

local function rate(key)
  return math.max(slide_count(key, 60, 60), slide_count(key, BURST, 60) * 60 / BURST)
end

-- ARGV from index i: budget cooldown
local function flood_digits(i)
  local budget, cooldown = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local failures = rate(P .. 'ff')
  local wanted = MIN_DIGITS
  if budget > 0 and failures > budget then
    wanted = MIN_DIGITS + 1
    while wanted < MAX_DIGITS and 9 * 10 ^ (wanted - 1) < failures * SPACE_PER_FAILURE do
      wanted = wanted + 1
    end
  end
  local fd = redis.call('HMGET', P .. 'fd', 'd', 'u')
  local digits = tonumber(fd[1]) or MIN_DIGITS
  local untill = tonumber(fd[2]) or -math.huge
  if wanted > MIN_DIGITS and (wanted >= digits or now >= untill) then
    digits, untill = wanted, now + cooldown
    redis.call('HSET', P .. 'fd', 'd', digits, 'u', num(untill))
    redis.call('PEXPIRE', P .. 'fd', ms(cooldown + 1))
  end
  if now < untill then
    return math.max(wanted, digits)
  end
  return wanted
end

-- ARGV: budget cooldown
function ops.digits()
  return {tostring(flood_digits(3))}
end

-- ARGV: nameplate budget cooldown max_wait short_joins_per_second
function ops.admit()
  local n = ARGV[3]
  if #n >= flood_digits(4) then
    return {'0'}
  end
  local budget = tonumber(ARGV[4])
  local max_wait, per_second = tonumber(ARGV[6]), tonumber(ARGV[7])
  local wide = P .. 'fw'
  if slide_count(wide, BURST, 60) == 0 then
    return {'0'}  -- the flood has stopped
  end
  if budget == 0 or rate(wide) <= budget then
    return {'0'}  -- failures from few address blocks: theirs to pay, not everybody's
  end
  local slot = math.max(now, tonumber(redis.call('GET', P .. 'fs')) or -math.huge)
  if slot - now > max_wait then
    return {}
  end
  local next_slot = slot + 1 / per_second
  redis.call('SET', P .. 'fs', num(next_slot), 'PX', ms(next_slot - now + 1))
  return {num(slot - now)}
end

local function flood_failed(key)
  slide_add(P .. 'ff', 60)
  if key ~= '' then
    local mine = P .. 'fk:' .. key
    if slide_count(mine, 60, 60) >= PER_KEY_SHARE then
      return
    end
    slide_add(mine, 60)
  end
  slide_add(P .. 'fw', 60)
end

-- --- per-address limits (KeyedRate, JoinLimiter) -----------------------------------------

local function attempts(key)
  local list = P .. 'ja:' .. key
  while true do
    local first = redis.call('LINDEX', list, 0)
    if not first or tonumber(first) > now - 60 then
      break
    end
    redis.call('LPOP', list)
  end
  return list
end

local function lock_left(key)
  local untill = tonumber(redis.call('GET', P .. 'jl:' .. key))
  if not untill then
    return 0
  end
  return math.max(0, untill - now)
end

-- ARGV: key host_limit join_per_minute
function ops.may_enter()
  local key = ARGV[3]
  local hosts_full = slide_count(P .. 'h:' .. key, 60, 60) >= tonumber(ARGV[4])
  local blocked = lock_left(key) > 0
      or redis.call('LLEN', attempts(key)) >= tonumber(ARGV[5])
  if hosts_full and blocked then
    return {'0'}
  end
  return {'1'}
end

-- ARGV: key limit
function ops.host()
  local hosts = P .. 'h:' .. ARGV[3]
  if slide_count(hosts, 60, 60) >= tonumber(ARGV[4]) then
    return {'0'}
  end
  slide_add(hosts, 60)
  return {'1'}
end

-- ARGV: key per_minute
function ops.join()
  local key = ARGV[3]
  if lock_left(key) > 0 then
    return {'0'}
  end
  local list = attempts(key)
  if redis.call('LLEN', list) >= tonumber(ARGV[4]) then
    return {'0'}
  end
  redis.call('RPUSH', list, num(now))
  redis.call('PEXPIRE', list, ms(61))
  return {'1'}
end

-- ARGV: key
function ops.refund()
  redis.call('RPOP', P .. 'ja:' .. ARGV[3])
  return {'ok'}
end

-- ARGV: key free_failures base_lockout max_lockout failure_memory
function ops.failed()
  local key = ARGV[3]
  local free, base = tonumber(ARGV[4]), tonumber(ARGV[5])
  local max_lockout, memory = tonumber(ARGV[6]), tonumber(ARGV[7])
  local list = P .. 'jf:' .. key
  while true do
    local first = redis.call('LINDEX', list, 0)
    if not first or tonumber(first) > now - memory then
      break
    end
    redis.call('LPOP', list)
  end
  redis.call('RPUSH', list, num(now))
  redis.call('LTRIM', list, -FAILURE_LOG_CAP, -1)
  redis.call('PEXPIRE', list, ms(memory + 1))
  local over = redis.call('LLEN', list) - free
  if over > 0 then
    local lockout = math.min(max_lockout, base * 2 ^ math.min(over - 1, 64))
    redis.call('SET', P .. 'jl:' .. key, num(now + lockout), 'PX', ms(lockout))
  end
  flood_failed(key)
  return {'ok'}
end

-- ARGV: key
function ops.locked_for()
  return {num(lock_left(ARGV[3]))}
end

-- ARGV: lifetime hold budget cooldown
function ops.counts()
  local taken = 0
  for digits = MIN_DIGITS, MAX_DIGITS do
    taken = taken + redis.call('ZCARD', purge_taken(digits))
  end
  redis.call('ZREMRANGEBYSCORE', P .. 'open', '-inf', num(now))
  redis.call('ZREMRANGEBYSCORE', P .. 'held', '-inf', num(now))
  return {tostring(taken), tostring(redis.call('ZCARD', P .. 'held')),
          tostring(redis.call('ZCARD', P .. 'open')),
          tostring(slide_count(P .. 'ff', 60, 60)), tostring(flood_digits(5))}
end

-- --- resume tokens ------------------------------------------------------------------------

-- ARGV: token role node conn grace
function ops.present()
  local token, role = ARGV[3], ARGV[4]
  local spent = redis.call('GET', P .. 'rs:' .. token)
  if spent then
    return {spent}
  end
  local key = P .. 'rw:' .. token
  local w = redis.call('HMGET', key, 'role', 'node', 'conn')
  if w[1] and not alive(w[2]) then
    -- Its node is gone, and the waiter with it. Its end will present this token again: the
    -- token is burnt for both (refused from now on), so both move on to the next one together
    -- instead of one waiting on a token the other has already left behind.
    redis.call('DEL', key)
    redis.call('SET', P .. 'rs:' .. token, 'refused', 'PX', ms(tonumber(ARGV[7])))
    return {'refused'}
  end
  if not w[1] then  -- nobody waits: this one does
    redis.call('HSET', key, 'role', role, 'node', ARGV[5], 'conn', ARGV[6])
    -- A waiter gives up after the grace (unresume); the TTL only bounds a lost one.
    redis.call('PEXPIRE', key, ms(2 * tonumber(ARGV[7]) + 1))
    return {'wait'}
  end
  if w[1] == role then
    return {'refused'}
  end
  return {'paired', w[2], w[3]}
end

-- ARGV: token result grace
function ops.spend()
  redis.call('DEL', P .. 'rw:' .. ARGV[3])
  redis.call('SET', P .. 'rs:' .. ARGV[3], ARGV[4], 'PX', ms(tonumber(ARGV[5])))
  return {'ok'}
end

-- ARGV: token node conn
function ops.withdraw()
  local key = P .. 'rw:' .. ARGV[3]
  local w = redis.call('HMGET', key, 'node', 'conn')
  if w[1] == ARGV[4] and w[2] == ARGV[5] then
    redis.call('DEL', key)
  end
  return {'ok'}
end

-- --- unpaired connections -------------------------------------------------------------

-- ARGV: key
function ops.unpaired()
  local total = 0
  for _, node in ipairs(live_nodes()) do
    total = total + (tonumber(redis.call('HGET', P .. 'up:' .. node, ARGV[3])) or 0)
  end
  return {tostring(total)}
end

-- ARGV: node key delta ttl
function ops.add_unpaired()
  local key = P .. 'up:' .. ARGV[3]
  local count = redis.call('HINCRBY', key, ARGV[4], tonumber(ARGV[5]))
  if count <= 0 then
    redis.call('HDEL', key, ARGV[4])
  end
  redis.call('PEXPIRE', key, ms(tonumber(ARGV[6])))
  return {'ok'}
end

-- --- the registry -------------------------------------------------------------------------

-- ARGV: node url draining connections sessions ttl
function ops.beat()
  local node, ttl = ARGV[3], tonumber(ARGV[8])
  local key = P .. 'node:' .. node
  redis.call('HSET', key, 'url', ARGV[4], 'draining', ARGV[5], 'connections', ARGV[6],
             'sessions', ARGV[7])
  redis.call('PEXPIRE', key, ms(ttl))
  redis.call('ZADD', P .. 'reg', num(now + ttl), node)
  redis.call('ZREMRANGEBYSCORE', P .. 'reg', '-inf', num(now))
  redis.call('PEXPIRE', P .. 'reg', ms(math.max(ttl, 3600)))
  redis.call('PEXPIRE', P .. 'up:' .. node, ms(ttl))
  return {'ok'}
end

-- ARGV: node
function ops.leave()
  redis.call('ZREM', P .. 'reg', ARGV[3])
  redis.call('DEL', P .. 'node:' .. ARGV[3], P .. 'up:' .. ARGV[3])
  return {'ok'}
end

function ops.nodes()
  local out = {}
  for _, node in ipairs(live_nodes()) do
    table.insert(out, node_entry(node))
  end
  return out
end

-- ARGV: node
function ops.node_alive()
  if alive(ARGV[3]) then
    return {node_entry(ARGV[3])}
  end
  return {}
end

local f = ops[op]
if not f then
  return redis.error_reply('fernhilfe state: unknown operation ' .. tostring(op))
end
return f()
