namespace StreamBilling.Cur.Tests;

/// <summary>
/// A bucket in memory with S3's listing contract: keys in UTF-8 binary order, at most <c>pageSize</c> a page, a
/// continuation token while more remain. Records each list call so tests can see the prefix and paging the source used.
/// </summary>
internal sealed class InMemoryS3ObjectStore(string bucket, int pageSize) : IS3ObjectStore
{
    private readonly SortedDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public List<(string Prefix, string? Token)> ListCalls { get; } = [];

    public bool Disposed { get; private set; }

    public void Put(string key, byte[] content) => _objects[key] = content;

    public Task<(IReadOnlyList<string> Keys, string? NextContinuationToken)> ListPageAsync(string bucketName, string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        Assert.Equal(bucket, bucketName);
        ListCalls.Add((prefix, continuationToken));

        // The token is opaque to callers; here it is the last key of the previous page.
        var page = _objects.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && (continuationToken is null || string.CompareOrdinal(k, continuationToken) > 0))
            .Take(pageSize + 1)
            .ToList();
        var more = page.Count > pageSize;
        var keys = page.Take(pageSize).ToList();
        return Task.FromResult<(IReadOnlyList<string>, string?)>((keys, more ? keys[^1] : null));
    }

    public Task<bool> ExistsAsync(string bucketName, string key, CancellationToken cancellationToken) =>
        Task.FromResult(bucketName == bucket && _objects.ContainsKey(key));

    public Task<Stream> OpenAsync(string bucketName, string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new MemoryStream(_objects[key], writable: false));

    public void Dispose() => Disposed = true;
}
