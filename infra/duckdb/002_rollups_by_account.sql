-- Migration 2, "rollups_by_account": every hourly rollup belongs to one customer account. The key becomes
-- (customer_id, partition_key, iso_week, hour_start, service): the region#role partition and ISO-week clustering of the
-- design, inside an account. DuckDB cannot change a primary key in place, so the table is copied and rebuilt.
-- Rows written before this migration carry no account: they are kept with customer_id '' (no account). No customer can
-- be identified as '' (account ids are non-blank), so only operators see them, in sums across accounts; their totals
-- are unchanged. Replaying rollups.hourly would not restore their accounts either: records written before the field
-- existed read back with the schema default, the same ''.
CREATE TABLE hourly_rollups_before_accounts AS SELECT * FROM hourly_rollups;
DROP TABLE hourly_rollups;
CREATE TABLE hourly_rollups (
    customer_id    VARCHAR        NOT NULL, -- customer account, e.g. CUST0001; '' for rows from before accounts
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
    PRIMARY KEY (customer_id, partition_key, iso_week, hour_start, service)
);
INSERT INTO hourly_rollups (customer_id, partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id)
SELECT '', partition_key, iso_week, hour_start, service, region, role, usage_quantity, usage_unit, cost, currency, line_count, event_id
FROM hourly_rollups_before_accounts;
DROP TABLE hourly_rollups_before_accounts;
