INSERT INTO claim_events (claim_id, version, event_id, event_type, occurred_at, log_entry_id)
VALUES (:#claim_id, :#version, :#event_id, :#event_type, :#occurred_at, :#log_entry_id)
ON CONFLICT (claim_id, version) DO NOTHING
