MERGE INTO claim_events t
USING (VALUES (CAST(:#claim_id AS VARCHAR(64)), CAST(:#version AS BIGINT), CAST(:#event_id AS VARCHAR(36)),
    CAST(:#event_type AS VARCHAR(64)), CAST(:#occurred_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#log_entry_id AS VARCHAR(64))))
    AS s (claim_id, version, event_id, event_type, occurred_at, log_entry_id)
ON t.claim_id = s.claim_id AND t.version = s.version
WHEN NOT MATCHED THEN INSERT (claim_id, version, event_id, event_type, occurred_at, log_entry_id)
VALUES (s.claim_id, s.version, s.event_id, s.event_type, s.occurred_at, s.log_entry_id)
