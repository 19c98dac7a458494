-- Moves one send ledger entry on, atomically with the claim's notification log (and the unknown-fate list or the
-- channel's dead letters where that applies). Ledger values are "<state>|<epoch ms>|<detail>".
-- KEYS[1] ledger hash, KEYS[2] claim log stream, KEYS[3] unknown-fate zset, KEYS[4] dead-letter stream
-- ARGV[1] ledger id, ARGV[2] operation, ARGV[3] now (epoch ms), ARGV[4] detail, ARGV[5] claim id,
-- ARGV[6] number of dead-letter arguments, then those (field, value, ...), then the log entry's field, value pairs
-- Returns the state the entry is in afterwards ("reserved" when the caller may send now).
local current = redis.call('HGET', KEYS[1], ARGV[1])
local state = current and string.match(current, '^[^|]*') or 'absent'
local op = ARGV[2]
local now = ARGV[3]
local detail = ARGV[4]
local member = ARGV[5] .. ' ' .. ARGV[1]
local dlqArgs = tonumber(ARGV[6])

local function log(outcome)
  local entry = {KEYS[2], 'MAXLEN', '~', '1000', '*'}
  for i = 7 + dlqArgs, #ARGV do entry[#entry + 1] = ARGV[i] end
  entry[#entry + 1] = 'outcome'
  entry[#entry + 1] = outcome
  entry[#entry + 1] = 'detail'
  entry[#entry + 1] = detail
  redis.call('XADD', unpack(entry))
end

local function deadLetter()
  if dlqArgs > 0 then
    local entry = {KEYS[4], 'MAXLEN', '~', '10000', '*'}
    for i = 7, 6 + dlqArgs do entry[#entry + 1] = ARGV[i] end
    return redis.call('XADD', unpack(entry))
  end
  return nil
end

if op == 'reserve' then
  if state == 'queued' then
    redis.call('HSET', KEYS[1], ARGV[1], 'sending|' .. now .. '|' .. detail)
    return 'reserved'
  end
  if state == 'sending' then
    -- a sender took it and never said how it went: it may or may not have gone out, so it is never sent again; the
    -- message goes to the channel's dead letters (reason unknown-fate) for an operator to confirm or resend
    local since = string.match(current, '^sending|([^|]*)') or ''
    redis.call('HSET', KEYS[1], ARGV[1], 'unknown|' .. now .. '|sending since ' .. since)
    redis.call('ZADD', KEYS[3], now, member)
    deadLetter()
    detail = 'a send started at ' .. since .. ' ended without an outcome; not sent again'
    log('unknown')
    return 'unknown'
  end
  return state
end

if op == 'sent' then
  if state == 'sending' or state == 'unknown' then
    redis.call('HSET', KEYS[1], ARGV[1], 'sent|' .. now .. '|' .. detail)
    redis.call('ZREM', KEYS[3], member)
    log('sent')
    return 'sent'
  end
  return state
end

if op == 'release' then
  if state == 'sending' then
    redis.call('HSET', KEYS[1], ARGV[1], 'queued|' .. now .. '|' .. detail)
    log('retrying')
    return 'queued'
  end
  return state
end

if op == 'fail' then
  if state == 'sent' or state == 'unknown' then
    return state
  end
  redis.call('HSET', KEYS[1], ARGV[1], 'failed|' .. now .. '|' .. detail)
  deadLetter()
  log('failed')
  return 'failed'
end

-- an operator's replay of a dead letter: a failed message, or one whose fate is unknown, is queued again
if op == 'requeue' then
  if state == 'failed' or state == 'unknown' then
    redis.call('HSET', KEYS[1], ARGV[1], 'queued|' .. now .. '|replayed: ' .. detail)
    redis.call('ZREM', KEYS[3], member)
    log('replayed')
    return 'queued'
  end
  return state
end

-- an operator confirms that a message whose fate was unknown did reach the partner
if op == 'confirm' then
  if state == 'unknown' then
    redis.call('HSET', KEYS[1], ARGV[1], 'sent|' .. now .. '|confirmed: ' .. detail)
    redis.call('ZREM', KEYS[3], member)
    log('sent')
    return 'sent'
  end
  return state
end

return redis.error_reply('unknown operation ' .. op)
