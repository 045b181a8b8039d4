using System.Text;
using CsvHelper;

namespace StreamBilling.Billing.Csv;

/// <summary>One input file read with CsvHelper: header columns found by normalized name, rows with their line numbers.</summary>
internal sealed class CsvTable : IDisposable
{
    private readonly CsvReader _reader;
    private readonly List<InputError> _malformed = [];

    private CsvTable(string path)
    {
        FileName = Path.GetFileName(path);
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            PoolStrings = true,
            MalformedData = CsvMalformedDataHandling.Skip,

            // Headers match ignoring case and every space: "Charge/Hour (OnDemand)" = "charge/hour(ondemand)".
            NormalizeHeaderName = NormalizeHeader,
            OnMalformedRecord = record => _malformed.Add(new InputError(
                FileName, (int)record.LineNumber, $"malformed CSV ({record.Reason})", record.RawRecord)),
        };
        _reader = CsvReader.FromFile(path, options);
    }

    public string FileName { get; }

    /// <summary>Rows CsvHelper skipped because of broken quoting.</summary>
    public IReadOnlyList<InputError> Malformed => _malformed;

    /// <summary>1-based line of the current row.</summary>
    public int Line => (int)_reader.LineNumber;

    public static CsvTable Open(string path) => new(path);

    /// <summary>Index of the first column called any of <paramref name="names"/>, or -1.</summary>
    public int Column(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (_reader.TryGetFieldIndex(name, out var index))
            {
                return index;
            }
        }

        return -1;
    }

    public bool Read()
    {
        while (_reader.Read())
        {
            // A row of empty cells (a spreadsheet's trailing ",,,,") carries no data.
            for (var i = 0; i < _reader.FieldCount; i++)
            {
                if (!_reader.IsEmpty(i))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The trimmed field, or empty when the column is absent or the row is short.</summary>
    public string Field(int column) => column < 0 ? string.Empty : _reader.GetString(column);

    public string RawRow() => Encoding.UTF8.GetString(_reader.RawRecord);

    public void Dispose() => _reader.Dispose();

    private static string NormalizeHeader(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }
}
