-- Migration 2, "rollups_by_account" (as infra/duckdb/002): every hourly rollup belongs to one customer account; the key
-- becomes (customer_id, partition_key, iso_week, hour_start, service), the region#role partition and ISO-week clustering
-- of the design inside an account. Rows written before carry no account: they are kept with customer_id '' (no
-- customer can be identified as ''), so only operators see them, in sums across accounts, with unchanged totals.
ALTER TABLE hourly_rollups ADD COLUMN customer_id text NOT NULL DEFAULT '';
ALTER TABLE hourly_rollups ALTER COLUMN customer_id DROP DEFAULT;
ALTER TABLE hourly_rollups DROP CONSTRAINT hourly_rollups_pkey;
ALTER TABLE hourly_rollups ADD PRIMARY KEY (customer_id, partition_key, iso_week, hour_start, service);
-- Operators' questions span accounts: one region#role and service over a range of weeks.
CREATE INDEX hourly_rollups_by_partition ON hourly_rollups (partition_key, service, iso_week);
