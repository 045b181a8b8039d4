-- The daily usage view (GET /v1/usage): one row per upstream record and UTC day it covers, filled by the daily usage
-- sink. A record's rows are replaced as a whole (delete by source_id, then insert), so a revised priced line or a
-- re-sent sample replaces what was stored under its id and a replayed topic changes nothing; a retracted line has no rows.
--   figure 'Priced':   a priced line of billing.priced-lines (for CDN: the authoritative Cost Explorer figure, priced)
--   figure 'Estimate': a CloudWatch CDN sample of usage.cdn.traffic (near-real-time GB; priced when read, cost NULL)
-- A record spanning UTC midnight is split over its days in proportion to time (its last day takes the rounding rest).
-- No key constraint or index: DuckDB's delete-then-insert of the same key in one transaction is fragile on indexed
-- tables, and a customer's days are a filtered scan.
CREATE TABLE IF NOT EXISTS daily_usage (
    source_id    VARCHAR        NOT NULL, -- eventId of the priced line or CloudWatch sample
    usage_day    DATE           NOT NULL, -- UTC day
    customer_id  VARCHAR        NOT NULL,
    service      VARCHAR        NOT NULL, -- ServiceKind name, e.g. Cdn, Ec2
    figure       VARCHAR        NOT NULL, -- Priced | Estimate
    unit         VARCHAR        NOT NULL, -- GB, Hours, Requests, ...
    quantity     DECIMAL(24, 9) NOT NULL,
    cost         DECIMAL(18, 6),          -- NULL for estimates
    currency     VARCHAR        NOT NULL  -- empty for estimates
);
