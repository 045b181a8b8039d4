using System.IO.Compression;
using System.Text;

namespace StreamBilling.Cur;

/// <summary>
/// The column names of a CSV report file (plain or gzip), read from its first record. The import names the columns
/// to DuckDB itself instead of letting it sniff each file, which decompressed and parsed every file once more only to
/// learn what the header already says (about a fifth of the import's CPU).
/// </summary>
internal static class CsvHeader
{
    // A header longer than this is no CUR header (a few hundred columns of at most ~100 characters each).
    private const int MaxHeaderChars = 1 << 20;

    /// <summary>The header's fields, RFC 4180 quoting undone.</summary>
    /// <exception cref="CurImportException">The file is empty, not gzip though named so, or its first record is not a header.</exception>
    public static async Task<IReadOnlyList<string>> ReadAsync(string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            await using Stream content = key.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            var record = await FirstRecordAsync(reader, key, cancellationToken).ConfigureAwait(false);
            return Parse(record, key);
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException or IOException)
        {
            throw new CurImportException($"The report file '{key}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Splits one CSV record (no line break outside quotes) into its fields.</summary>
    internal static IReadOnlyList<string> Parse(string record, string key)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < record.Length && record[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= record.Length)
                    {
                        throw new CurImportException($"The header of the report file '{key}' has an unclosed quote.");
                    }

                    if (record[i] == '"')
                    {
                        if (i + 1 < record.Length && record[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(record[i++]);
                }

                if (i < record.Length && record[i] != ',')
                {
                    throw new CurImportException($"The header of the report file '{key}' has text after a closing quote at character {i + 1}.");
                }
            }
            else
            {
                var end = record.IndexOf(',', i);
                field.Append(end < 0 ? record.AsSpan(i) : record.AsSpan(i, end - i));
                i = end < 0 ? record.Length : end;
            }

            var name = field.ToString();
            if (name.Length == 0)
            {
                throw new CurImportException($"The header of the report file '{key}' has an empty column name (column {fields.Count + 1}).");
            }

            fields.Add(name);
            if (i >= record.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }

    private static async Task<string> FirstRecordAsync(StreamReader reader, string key, CancellationToken cancellationToken)
    {
        var record = new StringBuilder();
        var quoted = false;
        var buffer = new char[4096];
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return record.Length > 0 && !quoted
                    ? record.ToString()
                    : throw new CurImportException($"The report file '{key}' has no header line.");
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (!quoted && (c == '\n' || c == '\r'))
                {
                    return record.Length > 0 ? record.ToString() : throw new CurImportException($"The report file '{key}' starts with an empty line, not a header.");
                }

                record.Append(c);
            }

            if (record.Length > MaxHeaderChars)
            {
                throw new CurImportException($"The first line of the report file '{key}' is longer than {MaxHeaderChars:N0} characters: not a CUR header.");
            }
        }
    }
}
