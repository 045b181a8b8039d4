using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamBilling.Storage;

/// <summary>
/// Reads and writes CDN registry files (docs/cdn-registry.md): JSON <c>{"distributions": [{"customerId", "bucket",
/// "distributionId", "domainName"}, …]}</c> or CSV with the header <c>customer_id,bucket,distribution_id,domain_name</c>.
/// A file is read whole and checked before anything is written, so a bad row fails the load naming its line.
/// </summary>
public static class CdnRegistryFile
{
    /// <summary>The CSV header, in this order.</summary>
    public const string CsvHeader = "customer_id,bucket,distribution_id,domain_name";

    /// <summary>Longest id, bucket or domain name accepted.</summary>
    public const int MaxFieldLength = 255;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads <paramref name="path"/>, JSON or CSV by its extension.</summary>
    /// <exception cref="CdnRegistryFileException">The file is missing, of another kind, or has a bad row.</exception>
    public static IReadOnlyList<CdnDistribution> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".JSON" or ".CSV"))
        {
            throw CdnRegistryFileException.At(path, 0, "a registry file is .json or .csv.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CdnRegistryFileException.At(path, 0, $"cannot be read: {e.Message}", e);
        }

        return extension == ".JSON" ? ReadJson(bytes, path) : ReadCsv(Encoding.UTF8.GetString(bytes), path);
    }

    /// <summary>Reads a JSON registry (UTF-8); <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<CdnDistribution> ReadJson(ReadOnlySpan<byte> utf8, string source)
    {
        var rows = new List<(long Line, CdnDistribution Row)>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new LineCounter(utf8);
        try
        {
            Expect(ref reader, ref lines, source, JsonTokenType.StartObject, "the file is a JSON object {\"distributions\": [...]}");
            var sawDistributions = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("distributions"u8))
                {
                    throw CdnRegistryFileException.At(source, lines.At(reader.TokenStartIndex), $"unknown property '{reader.GetString()}' (the file holds \"distributions\" only).");
                }

                sawDistributions = true;
                Expect(ref reader, ref lines, source, JsonTokenType.StartArray, "\"distributions\" is an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var line = lines.At(reader.TokenStartIndex);
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw CdnRegistryFileException.At(source, line, "each distribution is an object {\"customerId\", \"bucket\", \"distributionId\", \"domainName\"}.");
                    }

                    CdnDistribution? row;
                    try
                    {
                        row = JsonSerializer.Deserialize<CdnDistribution>(ref reader, Json);
                    }
                    catch (JsonException e)
                    {
                        throw CdnRegistryFileException.At(source, line, e.Message.Split(" Path:")[0], e);
                    }

                    rows.Add((line, row!));
                }
            }

            if (!sawDistributions)
            {
                throw CdnRegistryFileException.At(source, 0, "no \"distributions\" array.");
            }
        }
        catch (JsonException e)
        {
            throw CdnRegistryFileException.At(source, (e.LineNumber ?? -1) + 1, $"not valid JSON: {e.Message.Split(" LineNumber:")[0]}", e);
        }

        return Checked(rows, source);

        static void Expect(ref Utf8JsonReader r, ref LineCounter lines, string source, JsonTokenType type, string what)
        {
            if (!r.Read() || r.TokenType != type)
            {
                throw CdnRegistryFileException.At(source, lines.At(r.TokenStartIndex), what + ".");
            }
        }
    }

    /// <summary>Reads a CSV registry (header <see cref="CsvHeader"/>, one distribution a line, no quoting); <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<CdnDistribution> ReadCsv(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length == 0 || !string.Equals(lines[0].TrimEnd('\r').Trim().TrimStart('\uFEFF'), CsvHeader, StringComparison.Ordinal))
        {
            throw CdnRegistryFileException.At(source, 1, $"the header must be {CsvHeader}.");
        }

        var rows = new List<(long Line, CdnDistribution Row)>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 4)
            {
                throw CdnRegistryFileException.At(source, i + 1, $"{fields.Length} fields, expected 4 ({CsvHeader}); fields cannot contain commas or quotes.");
            }

            rows.Add((i + 1, new CdnDistribution(fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), fields[3].Trim())));
        }

        return Checked(rows, source);
    }

    /// <summary>What is wrong with <paramref name="row"/>, or null when nothing is (every field set, no blanks inside, not too long).</summary>
    public static string? Problem(CdnDistribution row)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var (name, value) in new[] { ("customerId", row.CustomerId), ("bucket", row.Bucket), ("distributionId", row.DistributionId), ("domainName", row.DomainName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return $"{name} is missing.";
            }

            if (value.Length > MaxFieldLength || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or ','))
            {
                return $"{name} '{value}' is not an id (at most {MaxFieldLength} characters, no blanks, quotes or commas).";
            }
        }

        return null;
    }

    /// <summary>Writes <paramref name="distributions"/> as a JSON registry file.</summary>
    public static void WriteJson(string path, IEnumerable<CdnDistribution> distributions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(distributions);
        File.WriteAllText(path, JsonSerializer.Serialize(new { distributions = distributions.ToList() }, Json) + "\n");
    }

    private static List<CdnDistribution> Checked(List<(long Line, CdnDistribution Row)> rows, string source)
    {
        var firstLine = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (line, row) in rows)
        {
            if (Problem(row) is { } problem)
            {
                throw CdnRegistryFileException.At(source, line, problem);
            }

            if (!firstLine.TryAdd(row.DistributionId, line))
            {
                throw CdnRegistryFileException.At(source, line, $"distribution '{row.DistributionId}' is already on line {firstLine[row.DistributionId]} (a distribution belongs to one customer).");
            }
        }

        if (rows.Count == 0)
        {
            throw CdnRegistryFileException.At(source, 0, "no distributions.");
        }

        return [.. rows.Select(r => r.Row)];
    }

    /// <summary>1-based line of a byte offset, counting forward from the last offset asked (offsets grow while reading).</summary>
    private ref struct LineCounter(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private long _offset;
        private long _line = 1;

        public long At(long offset)
        {
            for (; _offset < offset && _offset < _text.Length; _offset++)
            {
                if (_text[(int)_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
