-- The claims table and its event index in the legacy database, kept in sync from the claim log by the hub's
-- integrations group (docs/adapters.md#claims-table). Runs on H2 2.x and PostgreSQL 9.5+; the hub runs it at start
-- (and again after a failed attempt), so every statement is idempotent. Statements are separated by ';' at a line end.
-- No personal data: claimant name, e-mail and phone, and the free-text fields, stay in the hub.
CREATE TABLE IF NOT EXISTS claims (
    claim_id               VARCHAR(64)    NOT NULL PRIMARY KEY,
    version                BIGINT         NOT NULL,
    status                 VARCHAR(32)    NOT NULL,
    policy_number          VARCHAR(200),
    claim_type             VARCHAR(32),
    incident_date          DATE,
    amount_claimed         NUMERIC(24, 4),
    currency               VARCHAR(3),
    region                 VARCHAR(200),
    priority               VARCHAR(32),
    assignee_id            VARCHAR(200),
    assignee_name          VARCHAR(400),
    sla_deadline           TIMESTAMP WITH TIME ZONE,
    approved_amount        NUMERIC(24, 4),
    rejection_reason_code  VARCHAR(200),
    payment_id             VARCHAR(200),
    payment_amount         NUMERIC(24, 4),
    investigation_required BOOLEAN        NOT NULL,
    investigation_outcome  VARCHAR(32),
    documents_count        INTEGER        NOT NULL,
    submitted_at           TIMESTAMP WITH TIME ZONE,
    assigned_at            TIMESTAMP WITH TIME ZONE,
    approved_at            TIMESTAMP WITH TIME ZONE,
    rejected_at            TIMESTAMP WITH TIME ZONE,
    payment_initiated_at   TIMESTAMP WITH TIME ZONE,
    paid_at                TIMESTAMP WITH TIME ZONE,
    sla_breached_at        TIMESTAMP WITH TIME ZONE,
    last_event_id          VARCHAR(36)    NOT NULL,
    last_event_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS claims_status ON claims (status);

CREATE TABLE IF NOT EXISTS claim_events (
    claim_id     VARCHAR(64)              NOT NULL,
    version      BIGINT                   NOT NULL,
    event_id     VARCHAR(36)              NOT NULL,
    event_type   VARCHAR(64)              NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    log_entry_id VARCHAR(64)              NOT NULL,
    PRIMARY KEY (claim_id, version)
);
