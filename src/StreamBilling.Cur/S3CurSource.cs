using System.Runtime.CompilerServices;
using Amazon.Runtime;

namespace StreamBilling.Cur;

/// <summary>
/// An S3 bucket (or any S3-compatible endpoint) as a CUR source: keys are listed page by page (ListObjectsV2 with
/// continuation tokens) under the location's prefix, manifests read directly, report files downloaded to a temporary
/// folder for DuckDB's readers (deleted on dispose).
/// </summary>
internal sealed class S3CurSource : ICurSource
{
    private readonly IS3ObjectStore _store;
    private readonly string _bucket;
    private readonly Lazy<DirectoryInfo> _downloads = new(() => Directory.CreateTempSubdirectory("streambilling-cur-s3-"));
    private int _downloaded;

    public S3CurSource(IS3ObjectStore store, string bucket, string prefix)
    {
        _store = store;
        _bucket = bucket;
        Prefix = prefix.Trim('/');
    }

    public string Description => Prefix.Length == 0 ? $"s3://{_bucket}" : $"s3://{_bucket}/{Prefix}";

    public string Prefix { get; }

    public async IAsyncEnumerable<string> ListKeysAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var (keys, next) = await CallAsync(() => _store.ListPageAsync(_bucket, keyPrefix, token, cancellationToken), $"list {Description}").ConfigureAwait(false);
            foreach (var key in keys)
            {
                yield return key;
            }

            token = next;
        }
        while (token is not null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        CallAsync(() => _store.ExistsAsync(_bucket, key, cancellationToken), $"look up s3://{_bucket}/{key}");

    public async Task<string> ReadTextAsync(string key, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            throw new CurImportException($"'{key}' is not in {Description}.");
        }

        await using var stream = await CallAsync(() => _store.OpenAsync(_bucket, key, cancellationToken), $"read s3://{_bucket}/{key}").ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> LocalPathAsync(string key, CancellationToken cancellationToken)
    {
        // The file keeps its name (DuckDB picks the reader and compression by extension); a counter keeps names apart.
        var path = Path.Combine(_downloads.Value.FullName, $"{Interlocked.Increment(ref _downloaded):D5}-{key[(key.LastIndexOf('/') + 1)..]}");
        await using var stream = await CallAsync(() => _store.OpenAsync(_bucket, key, cancellationToken), $"download s3://{_bucket}/{key}").ConfigureAwait(false);
        await using var file = File.Create(path);
        await stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        if (_downloads.IsValueCreated && _downloads.Value.Exists)
        {
            _downloads.Value.Delete(recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>An S3 failure (no credentials, no such bucket, endpoint down) is one clear message naming what was tried.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new CurImportException($"Cannot {what}: {e.Message}", e);
        }
    }
}
