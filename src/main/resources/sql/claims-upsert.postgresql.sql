INSERT INTO claims (claim_id, version, status, policy_number, claim_type, incident_date, amount_claimed, currency,
    region, priority, assignee_id, assignee_name, sla_deadline, approved_amount, rejection_reason_code, payment_id,
    payment_amount, investigation_required, investigation_outcome, documents_count, submitted_at, assigned_at,
    approved_at, rejected_at, payment_initiated_at, paid_at, sla_breached_at, last_event_id, last_event_at)
VALUES (:#claim_id, :#version, :#status, :#policy_number, :#claim_type, :#incident_date, :#amount_claimed, :#currency,
    :#region, :#priority, :#assignee_id, :#assignee_name, :#sla_deadline, :#approved_amount, :#rejection_reason_code,
    :#payment_id, :#payment_amount, :#investigation_required, :#investigation_outcome, :#documents_count,
    :#submitted_at, :#assigned_at, :#approved_at, :#rejected_at, :#payment_initiated_at, :#paid_at,
    :#sla_breached_at, :#last_event_id, :#last_event_at)
ON CONFLICT (claim_id) DO UPDATE SET
    version = EXCLUDED.version, status = EXCLUDED.status, policy_number = EXCLUDED.policy_number,
    claim_type = EXCLUDED.claim_type, incident_date = EXCLUDED.incident_date,
    amount_claimed = EXCLUDED.amount_claimed, currency = EXCLUDED.currency, region = EXCLUDED.region,
    priority = EXCLUDED.priority, assignee_id = EXCLUDED.assignee_id, assignee_name = EXCLUDED.assignee_name,
    sla_deadline = EXCLUDED.sla_deadline, approved_amount = EXCLUDED.approved_amount,
    rejection_reason_code = EXCLUDED.rejection_reason_code, payment_id = EXCLUDED.payment_id,
    payment_amount = EXCLUDED.payment_amount, investigation_required = EXCLUDED.investigation_required,
    investigation_outcome = EXCLUDED.investigation_outcome, documents_count = EXCLUDED.documents_count,
    submitted_at = EXCLUDED.submitted_at, assigned_at = EXCLUDED.assigned_at, approved_at = EXCLUDED.approved_at,
    rejected_at = EXCLUDED.rejected_at, payment_initiated_at = EXCLUDED.payment_initiated_at,
    paid_at = EXCLUDED.paid_at, sla_breached_at = EXCLUDED.sla_breached_at,
    last_event_id = EXCLUDED.last_event_id, last_event_at = EXCLUDED.last_event_at
WHERE claims.version < EXCLUDED.version
