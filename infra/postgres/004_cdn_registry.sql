-- Migration 4, "cdn_registry" (as infra/duckdb/005): the CDN registry (customer → S3 bucket → CloudFront distribution)
-- that the cap controller disables and the cap topology checks samples against (docs/cdn-registry.md). A distribution
-- belongs to one customer, so the distribution id is the key; a customer may have several.
CREATE TABLE cdn_distributions (
    distribution_id text        PRIMARY KEY, -- CloudFront distribution id, e.g. E2QWRUHAPOMQZL
    customer_id     text        NOT NULL,
    bucket          text        NOT NULL,    -- the S3 bucket behind it (hidden from the customer)
    domain_name     text        NOT NULL,    -- e.g. d111111abcdef8.cloudfront.net
    added_at        timestamptz NOT NULL,    -- first load
    updated_at      timestamptz NOT NULL     -- last load that changed or confirmed the row
);
CREATE INDEX cdn_distributions_by_customer ON cdn_distributions (customer_id, distribution_id);

-- The distributions a status change disabled or enabled, as the registry named them then (JSON array of
-- {customerId, bucket, distributionId, domainName}), so a re-published change carries the same names.
ALTER TABLE cdn_distribution_status ADD COLUMN distributions text NOT NULL DEFAULT '[]';
