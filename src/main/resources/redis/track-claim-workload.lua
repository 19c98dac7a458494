-- Brings the workload indexes of one claim to a version of its state (AdjusterWorkloads.track): which adjuster's
-- open-claim set holds it, the per-adjuster counts derived from those sets, the adjuster's assigned-today set, the
-- unassigned queue and the SLA deadlines. Only a higher claim version than the one recorded is applied, so
-- deliveries repeated, late or racing on several consumers leave the indexes as the latest state says.
-- KEYS[1] adjusters:claim-owner   KEYS[2] adjusters:open-claims   KEYS[3] new adjuster's open set
-- KEYS[4] new adjuster's assigned-on-day set   KEYS[5] claims:unassigned   KEYS[6] sla:deadlines
-- KEYS[7] the claim's stream claim:{CLM-...}:events (read only when there is no record)
-- (a key the state does not need is given as KEYS[1], a harmless stand-in)
-- ARGV[1] claimId  ARGV[2] claim version  ARGV[3] new adjuster id ('' none: not open with anyone)
-- ARGV[4] SLA deadline epoch ms ('' none)  ARGV[5] seconds to keep the assigned-on-day set
-- ARGV[6] '1' while the claim awaits assignment
-- ARGV[7], ARGV[8] the open-set key of adjuster X is ARGV[7] .. X .. ARGV[8] (ProcessingKeys.openClaims): the
-- adjuster the claim was open with is read here, under the same atomic step as the change, so its set is named here.
-- ARGV[9] '1' when the state is closed (rejected or paid): the claim leaves every index, its record included
-- ARGV[10..] the event types that close a claim
-- (These keys, like every processing index, live on one Redis, not across Cluster slots.)
-- Answers 'updated', or 'stale' when an equal or later version was applied already.
local claim = ARGV[1]
local recorded = redis.call('HGET', KEYS[1], claim) or ''
local old = ''
if recorded ~= '' then
  local version, owner = string.match(recorded, '^(%d+) (.*)$')
  if tonumber(version) >= tonumber(ARGV[2]) then
    return 'stale'
  end
  if owner ~= '-' then
    old = owner
  end
else
  -- no record: a claim not tracked yet, or a closed one whose record went. A closed claim takes no further events,
  -- so its stream ends with the closing one; an older state of it is stale.
  local last = redis.call('XREVRANGE', KEYS[7], '+', '-', 'COUNT', 1)[1]
  if last then
    local eventType, lastVersion = '', 0
    for i = 1, #last[2], 2 do
      if last[2][i] == 'eventType' then eventType = last[2][i + 1] end
      if last[2][i] == 'claimVersion' then lastVersion = tonumber(last[2][i + 1]) end
    end
    for i = 10, #ARGV do
      if eventType == ARGV[i] and lastVersion > tonumber(ARGV[2]) then
        return 'stale'
      end
    end
  end
end
local new = ARGV[3]
if old ~= '' and old ~= new then
  local oldSet = ARGV[7] .. old .. ARGV[8]
  redis.call('SREM', oldSet, claim)
  redis.call('ZADD', KEYS[2], redis.call('SCARD', oldSet), old)
end
if new ~= '' then
  redis.call('SADD', KEYS[3], claim)
  redis.call('ZADD', KEYS[2], redis.call('SCARD', KEYS[3]), new)
  if old ~= new then
    redis.call('SADD', KEYS[4], claim)
    redis.call('EXPIRE', KEYS[4], ARGV[5])
  end
end
if ARGV[6] ~= '1' then
  redis.call('ZREM', KEYS[5], claim)
end
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[6], ARGV[4], claim)
else
  redis.call('ZREM', KEYS[6], claim)
end
if ARGV[9] == '1' then
  redis.call('HDEL', KEYS[1], claim)
else
  redis.call('HSET', KEYS[1], claim, ARGV[2] .. ' ' .. (new ~= '' and new or '-'))
end
return 'updated'
