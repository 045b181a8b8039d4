-- Migration 4, "cur": AWS Cost and Usage Report imports (StreamBilling.Cur, docs/cur.md).
-- The line items themselves live in one table per export and billing period, cur_<export>_<yyyy>_<MM>, created by the
-- import with the columns its report files have (CUR names such as "lineItem/UnblendedCost", quoted); the view
-- cur_line_items unions them by column name. An import replaces a period's table, its cur_imports row and the view in
-- one transaction, so a reader sees the old version or the new one, never a mix.

-- One row per (export_name, billing_period) imported: which manifest version the period's table holds.
-- No key constraint: the row is deleted and re-inserted in the import's transaction (fragile on indexed DuckDB tables).
CREATE TABLE IF NOT EXISTS cur_imports (
    export_name    VARCHAR   NOT NULL, -- the CUR export (report) name
    billing_period VARCHAR   NOT NULL, -- yyyy-MM (UTC)
    cur_version    VARCHAR   NOT NULL, -- v1 | v2
    manifest_key   VARCHAR   NOT NULL, -- the manifest's key in the source, e.g. cur/daily/20240101-20240201/daily-Manifest.json
    manifest_id    VARCHAR   NOT NULL, -- v1 assemblyId, v2 executionId: the version of the period's data
    table_name     VARCHAR   NOT NULL, -- cur_<export>_<yyyy>_<MM>
    report_files   INTEGER   NOT NULL,
    row_count      BIGINT    NOT NULL,
    imported_at    TIMESTAMP NOT NULL  -- UTC
);

-- CUR usage account → our customer account, for cur reconcile; replaced as a whole by `cur accounts --map FILE.csv`.
CREATE TABLE IF NOT EXISTS cur_account_map (
    cur_account_id VARCHAR NOT NULL, -- 12-digit AWS account id (lineItem/UsageAccountId), kept as text: leading zeros count
    customer_id    VARCHAR NOT NULL  -- e.g. CUST0001
);

-- Until the first import: the view exists with its two bookkeeping columns, so queries against it never fail.
CREATE OR REPLACE VIEW cur_line_items AS
SELECT CAST(NULL AS VARCHAR) AS export_name, CAST(NULL AS VARCHAR) AS billing_period WHERE false;
