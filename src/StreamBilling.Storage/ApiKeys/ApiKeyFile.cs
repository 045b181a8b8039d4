using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamBilling.Storage.ApiKeys;

/// <summary>
/// API keys in a JSON file (hashed; default <c>.streambilling/api-keys.json</c>). A file rather than the DuckDB store:
/// the CLI creates and revokes keys while the host runs, and DuckDB lets one process open its file. Writes take a lock
/// file and replace the file atomically; readers reload it when it changes, so a revoke takes effect on the next request.
/// </summary>
public sealed class ApiKeyFile
{
    /// <summary>Where the host and the CLI keep keys unless told otherwise (relative to the working directory).</summary>
    public const string DefaultPath = ".streambilling/api-keys.json";

    /// <summary>Longest account id a key may name.</summary>
    public const int MaxAccountIdLength = 128;

    private const string Prefix = "sbk_";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly TimeProvider _time;
    private readonly Lock _cacheLock = new();
    private (DateTime WrittenAt, long Length, Dictionary<string, ApiKeyRecord> ById)? _cache;

    /// <summary>Keys in <paramref name="path"/> (the file need not exist yet).</summary>
    public ApiKeyFile(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Every key the file holds, revoked ones too, oldest first.</summary>
    public IReadOnlyList<ApiKeyRecord> List() => [.. Load().Values.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];

    /// <summary>Creates a key; the returned key text is the only copy.</summary>
    /// <exception cref="ArgumentException">A customer key without a valid account id, or an operator key with one.</exception>
    public IssuedApiKey Create(ApiKeyRole role, string? accountId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (role == ApiKeyRole.Customer && !IsValidAccountId(accountId))
        {
            throw new ArgumentException($"A customer key needs an account id of 1 to {MaxAccountIdLength} printable characters.", nameof(accountId));
        }

        if (role == ApiKeyRole.Operator && accountId is not null)
        {
            throw new ArgumentException("An operator key belongs to no account.", nameof(accountId));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"{Prefix}{id}_{secret}";
        var record = new ApiKeyRecord(id, role, accountId, name, Hash(key), _time.GetUtcNow());
        Update(keys => keys.Add(record));
        return new IssuedApiKey(record, key);
    }

    /// <summary>Revokes a key by id; false when there is no such key (revoking twice keeps the first time).</summary>
    public bool Revoke(string id)
    {
        var found = false;
        Update(keys =>
        {
            var index = keys.FindIndex(k => string.Equals(k.Id, id, StringComparison.Ordinal));
            if (index >= 0)
            {
                found = true;
                keys[index] = keys[index] with { RevokedAt = keys[index].RevokedAt ?? _time.GetUtcNow() };
            }
        });
        return found;
    }

    /// <summary>The active key whose text is <paramref name="presented"/>; null when it is unknown, malformed or revoked.</summary>
    public ApiKeyRecord? Verify(string? presented)
    {
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = presented.IndexOf('_', Prefix.Length);
        if (end < 0 || !Load().TryGetValue(presented[Prefix.Length..end], out var record) || !record.IsActive)
        {
            return null;
        }

        // Constant time, so the comparison does not tell how much of a guessed key was right.
        var expected = Convert.FromHexString(record.Sha256);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? record : null;
    }

    /// <summary>Whether <paramref name="accountId"/> can name an account: 1 to 128 characters, none of them a control character.</summary>
    public static bool IsValidAccountId(string? accountId) =>
        !string.IsNullOrWhiteSpace(accountId) && accountId.Length <= MaxAccountIdLength && !accountId.Any(char.IsControl);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '.');

    private Dictionary<string, ApiKeyRecord> Load()
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            return new Dictionary<string, ApiKeyRecord>(StringComparer.Ordinal);
        }

        lock (_cacheLock)
        {
            if (_cache is { } cached && cached.WrittenAt == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.ById;
            }

            var keys = Read();
            var byId = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
            _cache = (info.LastWriteTimeUtc, info.Length, byId);
            return byId;
        }
    }

    private List<ApiKeyRecord> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize<List<ApiKeyRecord>>(stream, Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The API key file {Path} is not a valid key list: {e.Message}", e);
        }
    }

    /// <summary>Read, change and write back under a lock file, replacing the file atomically.</summary>
    private void Update(Action<List<ApiKeyRecord>> change)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var lockFile = AcquireLock();
        var keys = Read();
        change(keys);
        var temp = $"{Path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(keys, Json));
        File.Move(temp, Path, overwrite: true);
    }

    private FileStream AcquireLock()
    {
        // Another CLI run may be writing: wait for it briefly rather than lose its key.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }
}
