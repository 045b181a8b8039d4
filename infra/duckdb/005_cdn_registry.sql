-- Migration 5, "cdn_registry": the CDN registry (customer → S3 bucket → CloudFront distribution) that the cap
-- controller disables and the cap topology checks samples against (docs/cdn-registry.md). A distribution belongs to one
-- customer, so the distribution id is the key; a customer may have several. Loads upsert by that key and keep added_at.
CREATE TABLE IF NOT EXISTS cdn_distributions (
    distribution_id VARCHAR   PRIMARY KEY, -- CloudFront distribution id, e.g. E2QWRUHAPOMQZL
    customer_id     VARCHAR   NOT NULL,
    bucket          VARCHAR   NOT NULL,    -- the S3 bucket behind it (hidden from the customer)
    domain_name     VARCHAR   NOT NULL,    -- e.g. d111111abcdef8.cloudfront.net
    added_at        TIMESTAMP NOT NULL,    -- UTC, first load
    updated_at      TIMESTAMP NOT NULL     -- UTC, last load that changed or confirmed the row
);

-- The distributions a status change disabled or enabled, as the registry named them then (JSON array of
-- {customerId, bucket, distributionId, domainName}), so a re-published change carries the same names.
ALTER TABLE cdn_distribution_status ADD COLUMN IF NOT EXISTS distributions VARCHAR DEFAULT '[]';
