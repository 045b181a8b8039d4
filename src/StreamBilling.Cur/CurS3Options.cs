namespace StreamBilling.Cur;

/// <summary>How to reach S3 for an <c>s3://</c> source. Credentials come from the AWS SDK's default chain (environment, profile, instance role).</summary>
/// <param name="Endpoint">An S3-compatible endpoint (MinIO, LocalStack: <c>http://localhost:9000</c>), addressed path-style; null for AWS.</param>
/// <param name="Region">The region to sign for (and, without an endpoint, to call).</param>
public sealed record CurS3Options(Uri? Endpoint, string Region);
