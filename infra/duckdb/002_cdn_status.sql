-- CDN distribution status per customer and the causes already applied (CdnController idempotency):
-- the DuckDB twin of infra/cassandra/002_cdn_status.cql.
CREATE TABLE IF NOT EXISTS cdn_distribution_status (
    customer_id     VARCHAR   PRIMARY KEY,
    distribution_id VARCHAR   NOT NULL,
    status          VARCHAR   NOT NULL, -- Enabled | Disabled
    changed_at      TIMESTAMP NOT NULL, -- UTC
    cause_id        VARCHAR   NOT NULL, -- eventId of the CdnCapDecision or operator command
    reason          VARCHAR   NOT NULL
);

CREATE TABLE IF NOT EXISTS cdn_applied_causes (
    cause_id    VARCHAR   PRIMARY KEY,
    customer_id VARCHAR   NOT NULL,
    applied_at  TIMESTAMP NOT NULL -- UTC
);
