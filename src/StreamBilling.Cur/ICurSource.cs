namespace StreamBilling.Cur;

/// <summary>
/// Where CUR exports are read from, addressed by S3-style keys relative to the bucket (<c>/</c>-separated): a local
/// folder laid out like the bucket (<see cref="CurSources.Local"/>) or an S3 bucket (<see cref="CurSources.S3"/>).
/// </summary>
public interface ICurSource : IAsyncDisposable
{
    /// <summary>The location as the user named it, for messages (a folder, or <c>s3://bucket/prefix</c>).</summary>
    string Description { get; }

    /// <summary>The key prefix the location narrows to (<c>s3://bucket/cur</c>: <c>cur</c>), or empty for the whole bucket.</summary>
    string Prefix { get; }

    /// <summary>Every key that starts with <paramref name="keyPrefix"/>, in no particular order.</summary>
    IAsyncEnumerable<string> ListKeysAsync(string keyPrefix, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="key"/> exists.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>The text of <paramref name="key"/> (a manifest).</summary>
    /// <exception cref="CurImportException">The key does not exist or cannot be read.</exception>
    Task<string> ReadTextAsync(string key, CancellationToken cancellationToken);

    /// <summary>A local file with the content of <paramref name="key"/>, for DuckDB's readers (S3 downloads it to a temporary folder this source deletes on dispose).</summary>
    /// <exception cref="CurImportException">The key does not exist or cannot be read.</exception>
    Task<string> LocalPathAsync(string key, CancellationToken cancellationToken);
}
