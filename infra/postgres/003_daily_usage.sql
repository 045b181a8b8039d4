-- Migration 3, "daily_usage" (as infra/duckdb/003): the daily usage view of GET /v1/usage, one row per upstream record
-- (priced line or CloudWatch CDN sample) and UTC day it covers, filled by the daily usage sink. A record's rows are
-- replaced as a whole (delete by source_id, then insert), so a revised line replaces what was stored under its id and
-- a replayed topic changes nothing. The key makes two hosts writing the same record at once meet on the same rows.
CREATE TABLE daily_usage (
    source_id   text           NOT NULL, -- eventId of the priced line or CloudWatch sample
    usage_day   date           NOT NULL, -- UTC day
    customer_id text           NOT NULL,
    service     text           NOT NULL, -- ServiceKind name, e.g. Cdn, Ec2
    figure      text           NOT NULL, -- Priced | Estimate
    unit        text           NOT NULL,
    quantity    numeric(28, 9) NOT NULL,
    cost        numeric(24, 6),          -- NULL for estimates
    currency    text           NOT NULL, -- empty for estimates
    PRIMARY KEY (source_id, usage_day)
);
CREATE INDEX daily_usage_by_customer ON daily_usage (customer_id, service, usage_day);
