using System.Runtime.CompilerServices;

namespace StreamBilling.Cur;

/// <summary>A folder that plays the bucket: key <c>a/b/c.csv.gz</c> is the file <c>ROOT/a/b/c.csv.gz</c>.</summary>
internal sealed class LocalCurSource(string root) : ICurSource
{
    private readonly string _root = Path.GetFullPath(root);

    public string Description => _root;

    public string Prefix => string.Empty;

    public async IAsyncEnumerable<string> ListKeysAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root))
        {
            throw new CurImportException($"The CUR source folder '{_root}' does not exist.");
        }

        // Start from the deepest folder the prefix names, so a narrow prefix never walks the whole tree.
        var folderPart = keyPrefix.Contains('/', StringComparison.Ordinal) ? keyPrefix[..keyPrefix.LastIndexOf('/')] : string.Empty;
        var start = Path.Combine(_root, folderPart.Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(keyPrefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(key)));

    public async Task<string> ReadTextAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurImportException($"Cannot read '{key}' in {_root}: {e.Message}", e);
        }
    }

    public Task<string> LocalPathAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return File.Exists(path) ? Task.FromResult(path) : throw new CurImportException($"'{key}' is not in {_root} (no file {path}).");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));

        // A manifest is data from outside: a key with ".." must not read files beside the source folder.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new CurImportException($"The key '{key}' points outside the source folder {_root}.");
        }

        return path;
    }
}
