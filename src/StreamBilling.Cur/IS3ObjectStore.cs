namespace StreamBilling.Cur;

/// <summary>The three S3 calls a CUR import makes; <see cref="AmazonS3ObjectStore"/> makes them with the AWS SDK.</summary>
internal interface IS3ObjectStore : IDisposable
{
    /// <summary>One page of ListObjectsV2: keys under <paramref name="prefix"/> after <paramref name="continuationToken"/>, and the token of the next page (null: last page).</summary>
    Task<(IReadOnlyList<string> Keys, string? NextContinuationToken)> ListPageAsync(string bucket, string prefix, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Whether the object exists (HeadObject).</summary>
    Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>The object's content (GetObject); the caller disposes it.</summary>
    Task<Stream> OpenAsync(string bucket, string key, CancellationToken cancellationToken);
}
