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
