-- Migration 1, "initial": the schema as it was before versioned migrations (the former 001_hourly_rollups.sql,
-- 002_cdn_status.sql and 003_invoices.sql, unchanged). Every statement is IF NOT EXISTS, so a store file created before
-- schema_version existed passes through it unchanged and is then recorded as version 1.

-- Hourly usage and cost per (region#role, ISO week, hour, service): the DuckDB twin of infra/cassandra/001_hourly_rollups.cql.
-- Same key shape as the Cassandra table: partition key region#role, clustering ISO week, then hour, then service.
-- Rows are upserted by that key, so a re-delivered or updated rollup replaces the row instead of adding to it.
CREATE TABLE IF NOT EXISTS hourly_rollups (
    partition_key  VARCHAR        NOT NULL, -- region#role, e.g. us-east-1#Admin
    iso_week       VARCHAR        NOT NULL, -- ISO 8601 week of hour_start, e.g. 2024-W33
    hour_start     TIMESTAMP      NOT NULL, -- UTC
    service        VARCHAR        NOT NULL, -- ServiceKind, e.g. Ec2
    region         VARCHAR        NOT NULL,
    role           VARCHAR        NOT NULL,
    usage_quantity DECIMAL(24, 9) NOT NULL, -- in usage_unit (EC2: instance-minutes)
    usage_unit     VARCHAR        NOT NULL,
    cost           DECIMAL(18, 6) NOT NULL,
    currency       VARCHAR        NOT NULL,
    line_count     BIGINT         NOT NULL,
    event_id       VARCHAR        NOT NULL, -- deterministic id of the rollup (the same for every version of the row)
    PRIMARY KEY (partition_key, iso_week, hour_start, service)
);

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
-- Latest invoice per invoiceId (CUSTID/yyyy-MM), filled from the compacted topic billing.invoices by the invoice sink.
-- An upsert only replaces a row with an equal or higher revision, so a replayed older version never hides a newer one.
-- No secondary index: DuckDB's upsert on indexed tables is fragile, and a customer's months are a small scan.
-- Header columns serve the listing; document holds the full invoice (lines, totals, corrections) as JSON for the detail view.
CREATE TABLE IF NOT EXISTS invoices (
    invoice_id     VARCHAR        PRIMARY KEY, -- CUSTID/yyyy-MM
    customer_id    VARCHAR        NOT NULL,
    billing_month  VARCHAR        NOT NULL, -- yyyy-MM (UTC)
    status         VARCHAR        NOT NULL, -- MonthToDate | Final
    revision       BIGINT         NOT NULL, -- increases with every version of the month's invoice, Final included
    issued_at      TIMESTAMP      NOT NULL, -- UTC
    currency       VARCHAR        NOT NULL,
    total_amount   DECIMAL(18, 6) NOT NULL,
    total_discount DECIMAL(18, 6) NOT NULL,
    actual_amount  DECIMAL(18, 6) NOT NULL,
    event_id       VARCHAR        NOT NULL, -- id of this version (invoiceId + status + revision)
    document       VARCHAR        NOT NULL  -- the full invoice as JSON
);
