MERGE INTO claims t
USING (VALUES (CAST(:#claim_id AS VARCHAR(64)), CAST(:#version AS BIGINT), CAST(:#status AS VARCHAR(32)),
    CAST(:#policy_number AS VARCHAR(200)), CAST(:#claim_type AS VARCHAR(32)), CAST(:#incident_date AS DATE),
    CAST(:#amount_claimed AS NUMERIC(24, 4)), CAST(:#currency AS VARCHAR(3)), CAST(:#region AS VARCHAR(200)),
    CAST(:#priority AS VARCHAR(32)), CAST(:#assignee_id AS VARCHAR(200)), CAST(:#assignee_name AS VARCHAR(400)),
    CAST(:#sla_deadline AS TIMESTAMP WITH TIME ZONE), CAST(:#approved_amount AS NUMERIC(24, 4)),
    CAST(:#rejection_reason_code AS VARCHAR(200)), CAST(:#payment_id AS VARCHAR(200)),
    CAST(:#payment_amount AS NUMERIC(24, 4)), CAST(:#investigation_required AS BOOLEAN),
    CAST(:#investigation_outcome AS VARCHAR(32)), CAST(:#documents_count AS INTEGER),
    CAST(:#submitted_at AS TIMESTAMP WITH TIME ZONE), CAST(:#assigned_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#approved_at AS TIMESTAMP WITH TIME ZONE), CAST(:#rejected_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#payment_initiated_at AS TIMESTAMP WITH TIME ZONE), CAST(:#paid_at AS TIMESTAMP WITH TIME ZONE),
    CAST(:#sla_breached_at AS TIMESTAMP WITH TIME ZONE), CAST(:#last_event_id AS VARCHAR(36)),
    CAST(:#last_event_at AS TIMESTAMP WITH TIME ZONE)))
    AS s (claim_id, version, status, policy_number, claim_type, incident_date, amount_claimed, currency, region,
          priority, assignee_id, assignee_name, sla_deadline, approved_amount, rejection_reason_code, payment_id,
          payment_amount, investigation_required, investigation_outcome, documents_count, submitted_at, assigned_at,
          approved_at, rejected_at, payment_initiated_at, paid_at, sla_breached_at, last_event_id, last_event_at)
ON t.claim_id = s.claim_id
WHEN MATCHED AND t.version < s.version THEN UPDATE SET
    version = s.version, status = s.status, policy_number = s.policy_number, claim_type = s.claim_type,
    incident_date = s.incident_date, amount_claimed = s.amount_claimed, currency = s.currency, region = s.region,
    priority = s.priority, assignee_id = s.assignee_id, assignee_name = s.assignee_name,
    sla_deadline = s.sla_deadline, approved_amount = s.approved_amount,
    rejection_reason_code = s.rejection_reason_code, payment_id = s.payment_id, payment_amount = s.payment_amount,
    investigation_required = s.investigation_required, investigation_outcome = s.investigation_outcome,
    documents_count = s.documents_count, submitted_at = s.submitted_at, assigned_at = s.assigned_at,
    approved_at = s.approved_at, rejected_at = s.rejected_at, payment_initiated_at = s.payment_initiated_at,
    paid_at = s.paid_at, sla_breached_at = s.sla_breached_at, last_event_id = s.last_event_id,
    last_event_at = s.last_event_at
WHEN NOT MATCHED THEN INSERT (claim_id, version, status, policy_number, claim_type, incident_date, amount_claimed,
    currency, region, priority, assignee_id, assignee_name, sla_deadline, approved_amount, rejection_reason_code,
    payment_id, payment_amount, investigation_required, investigation_outcome, documents_count, submitted_at,
    assigned_at, approved_at, rejected_at, payment_initiated_at, paid_at, sla_breached_at, last_event_id,
    last_event_at)
VALUES (s.claim_id, s.version, s.status, s.policy_number, s.claim_type, s.incident_date, s.amount_claimed,
    s.currency, s.region, s.priority, s.assignee_id, s.assignee_name, s.sla_deadline, s.approved_amount,
    s.rejection_reason_code, s.payment_id, s.payment_amount, s.investigation_required, s.investigation_outcome,
    s.documents_count, s.submitted_at, s.assigned_at, s.approved_at, s.rejected_at, s.payment_initiated_at,
    s.paid_at, s.sla_breached_at, s.last_event_id, s.last_event_at)
