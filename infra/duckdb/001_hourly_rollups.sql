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
