-- The PostgreSQL store's first schema: the tables of infra/duckdb (hourly rollups, CDN status, invoices) on a server
-- that several processes share. Applied once by PostgresMigrations (in a transaction, recorded in schema_version);
-- a later change is a new file NNN_name.sql, never an edit of this one.
-- Money is numeric with DuckDB's six decimals (both backends round alike) and a wider integer part; times are timestamptz (UTC).

-- Hourly usage and cost per (region#role, ISO week, hour, service): the key shape of infra/cassandra/001_hourly_rollups.cql.
-- Rows are upserted by that key, so a re-delivered or updated rollup replaces the row instead of adding to it.
CREATE TABLE hourly_rollups (
    partition_key  text           NOT NULL, -- region#role, e.g. us-east-1#Admin
    iso_week       text           NOT NULL, -- ISO 8601 week of hour_start, e.g. 2024-W33
    hour_start     timestamptz    NOT NULL,
    service        text           NOT NULL, -- ServiceKind, e.g. Ec2
    region         text           NOT NULL,
    role           text           NOT NULL,
    usage_quantity numeric(28, 9) NOT NULL, -- in usage_unit (EC2: instance-minutes)
    usage_unit     text           NOT NULL,
    cost           numeric(24, 6) NOT NULL,
    currency       text           NOT NULL,
    line_count     bigint         NOT NULL,
    event_id       text           NOT NULL, -- deterministic id of the rollup (the same for every version of the row)
    PRIMARY KEY (partition_key, iso_week, hour_start, service)
);

-- CDN distribution status per customer and the causes already applied: infra/cassandra/002_cdn_status.cql.
CREATE TABLE cdn_distribution_status (
    customer_id     text        PRIMARY KEY,
    distribution_id text        NOT NULL,
    status          text        NOT NULL, -- Enabled | Disabled
    changed_at      timestamptz NOT NULL,
    cause_id        text        NOT NULL, -- eventId of the CdnCapDecision or operator command
    reason          text        NOT NULL
);

-- A cause is applied once: its row is inserted with ON CONFLICT DO NOTHING in the transaction that changes the status.
CREATE TABLE cdn_applied_causes (
    cause_id    text        PRIMARY KEY,
    customer_id text        NOT NULL,
    applied_at  timestamptz NOT NULL
);

-- Latest invoice per invoiceId (CUSTID/yyyy-MM): an upsert only replaces a row with an equal or higher revision.
CREATE TABLE invoices (
    invoice_id     text           PRIMARY KEY, -- CUSTID/yyyy-MM
    customer_id    text           NOT NULL,
    billing_month  text           NOT NULL, -- yyyy-MM (UTC)
    status         text           NOT NULL, -- MonthToDate | Final
    revision       bigint         NOT NULL, -- increases with every version of the month's invoice, Final included
    issued_at      timestamptz    NOT NULL,
    currency       text           NOT NULL,
    total_amount   numeric(24, 6) NOT NULL,
    total_discount numeric(24, 6) NOT NULL,
    actual_amount  numeric(24, 6) NOT NULL,
    event_id       text           NOT NULL, -- id of this version (invoiceId + status + revision)
    document       text           NOT NULL  -- the full invoice as JSON
);

-- The listing (a customer's months) and the detail (one customer and month) read by customer.
CREATE INDEX invoices_by_customer ON invoices (customer_id, billing_month);
