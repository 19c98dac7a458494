-- The integrations group's hand-off (IntegrationBatches.handOff): copies a batch's log entries to the work streams,
-- fields verbatim, in one call.
-- KEYS[1] the policy-check work stream, KEYS[2] the payments work stream
-- ARGV, per entry: the work stream (1 or 2, the KEYS index), the number n of field and value strings, those n strings
-- Answers the number of entries added.
local a = 1
local added = 0
while a <= #ARGV do
  local n = tonumber(ARGV[a + 1])
  redis.call('XADD', KEYS[tonumber(ARGV[a])], '*', unpack(ARGV, a + 2, a + 1 + n))
  a = a + 2 + n
  added = added + 1
end
return added
