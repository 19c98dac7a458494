-- The policy administration system's tables as the quick start and the tests create them (H2 and PostgreSQL).
-- A real legacy schema differs: point hub.policy.query at it instead (docs/adapters.md).
CREATE TABLE policies (
    policy_number VARCHAR(40) PRIMARY KEY,
    -- the policy system's status; 'cancelled' ends cover whatever the dates
    status        VARCHAR(20) NOT NULL,
    valid_from    DATE        NOT NULL,
    -- null: open-ended
    valid_to      DATE,
    currency      CHAR(3)     NOT NULL
);

-- one row per line of business the policy covers
CREATE TABLE policy_coverages (
    policy_number  VARCHAR(40)    NOT NULL REFERENCES policies (policy_number),
    claim_type     VARCHAR(20)    NOT NULL,
    coverage_limit DECIMAL(15, 2) NOT NULL,
    deductible     DECIMAL(15, 2) NOT NULL,
    PRIMARY KEY (policy_number, claim_type)
);
