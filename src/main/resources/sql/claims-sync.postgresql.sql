-- One batch of the integrations group into both tables in one statement: one round trip, one transaction
-- (ClaimsTable.prepare; docs/adapters.md, claims table). Parameters: events and claims, JSON arrays of rows, an
-- object per row with the column names as keys (a missing key is NULL). Event rows are inserted once; a claims row
-- is upserted only if that moves it forward in claim version, so a late, repeated or out-of-order delivery, or a
-- second hub instance, never moves a row back. A batch holds one row per claim (ON CONFLICT DO UPDATE may touch a
-- row once per statement), written in claim-id order, so concurrent writers lock rows in one order.
-- Answers the rows inserted or moved forward, per table.
WITH events AS (
    INSERT INTO claim_events (claim_id, version, event_id, event_type, occurred_at, log_entry_id)
    SELECT e.claim_id, e.version, e.event_id, e.event_type, e.occurred_at, e.log_entry_id
    FROM json_to_recordset(CAST(:#events AS json)) AS e (claim_id VARCHAR(64), version BIGINT, event_id VARCHAR(36),
        event_type VARCHAR(64), occurred_at TIMESTAMP WITH TIME ZONE, log_entry_id VARCHAR(64))
    ORDER BY e.claim_id, e.version
    ON CONFLICT (claim_id, version) DO NOTHING
    RETURNING 1
), claims AS (
    INSERT INTO claims (
        claim_id, version, status, policy_number, claim_type, incident_date, amount_claimed, currency, region,
        priority, assignee_id, assignee_name, sla_deadline, approved_amount, rejection_reason_code, payment_id,
        payment_amount, investigation_required, investigation_outcome, documents_count, submitted_at, assigned_at,
        approved_at, rejected_at, payment_initiated_at, paid_at, sla_breached_at, last_event_id, last_event_at)
    SELECT
        c.claim_id, c.version, c.status, c.policy_number, c.claim_type, c.incident_date, c.amount_claimed,
        c.currency, c.region, c.priority, c.assignee_id, c.assignee_name, c.sla_deadline, c.approved_amount,
        c.rejection_reason_code, c.payment_id, c.payment_amount, c.investigation_required, c.investigation_outcome,
        c.documents_count, c.submitted_at, c.assigned_at, c.approved_at, c.rejected_at, c.payment_initiated_at,
        c.paid_at, c.sla_breached_at, c.last_event_id, c.last_event_at
    FROM json_to_recordset(CAST(:#claims AS json)) AS c (
        claim_id VARCHAR(64), version BIGINT, status VARCHAR(32), policy_number VARCHAR(200),
        claim_type VARCHAR(32), incident_date DATE, amount_claimed NUMERIC(24, 4), currency VARCHAR(3),
        region VARCHAR(200), priority VARCHAR(32), assignee_id VARCHAR(200), assignee_name VARCHAR(400),
        sla_deadline TIMESTAMP WITH TIME ZONE, approved_amount NUMERIC(24, 4), rejection_reason_code VARCHAR(200),
        payment_id VARCHAR(200), payment_amount NUMERIC(24, 4), investigation_required BOOLEAN,
        investigation_outcome VARCHAR(32), documents_count INTEGER, submitted_at TIMESTAMP WITH TIME ZONE,
        assigned_at TIMESTAMP WITH TIME ZONE, approved_at TIMESTAMP WITH TIME ZONE,
        rejected_at TIMESTAMP WITH TIME ZONE, payment_initiated_at TIMESTAMP WITH TIME ZONE,
        paid_at TIMESTAMP WITH TIME ZONE, sla_breached_at TIMESTAMP WITH TIME ZONE, last_event_id VARCHAR(36),
        last_event_at TIMESTAMP WITH TIME ZONE)
    ORDER BY c.claim_id
    ON CONFLICT (claim_id) DO UPDATE SET
        version = EXCLUDED.version, status = EXCLUDED.status, policy_number = EXCLUDED.policy_number,
        claim_type = EXCLUDED.claim_type, incident_date = EXCLUDED.incident_date,
        amount_claimed = EXCLUDED.amount_claimed, currency = EXCLUDED.currency, region = EXCLUDED.region,
        priority = EXCLUDED.priority, assignee_id = EXCLUDED.assignee_id, assignee_name = EXCLUDED.assignee_name,
        sla_deadline = EXCLUDED.sla_deadline, approved_amount = EXCLUDED.approved_amount,
        rejection_reason_code = EXCLUDED.rejection_reason_code, payment_id = EXCLUDED.payment_id,
        payment_amount = EXCLUDED.payment_amount, investigation_required = EXCLUDED.investigation_required,
        investigation_outcome = EXCLUDED.investigation_outcome, documents_count = EXCLUDED.documents_count,
        submitted_at = EXCLUDED.submitted_at, assigned_at = EXCLUDED.assigned_at,
        approved_at = EXCLUDED.approved_at, rejected_at = EXCLUDED.rejected_at,
        payment_initiated_at = EXCLUDED.payment_initiated_at, paid_at = EXCLUDED.paid_at,
        sla_breached_at = EXCLUDED.sla_breached_at, last_event_id = EXCLUDED.last_event_id,
        last_event_at = EXCLUDED.last_event_at
    WHERE claims.version < EXCLUDED.version
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM events) AS events_written, (SELECT COUNT(*) FROM claims) AS claims_written
