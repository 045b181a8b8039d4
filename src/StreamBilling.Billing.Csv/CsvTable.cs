using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace StreamBilling.Billing.Csv;

/// <summary>One input file read with CsvHelper: header columns found by normalized name, rows with their line numbers.</summary>
internal sealed class CsvTable : IDisposable
{
    private readonly CsvReader _reader;
    private readonly List<InputError> _malformed = [];

    // First line of each Sr No seen, so a repeated row is caught whatever else is wrong with it.
    private readonly Dictionary<long, int> _numericSerialLines = [];
    private readonly Dictionary<string, int> _serialLines = new(StringComparer.Ordinal);
    private int _serialColumn = -2;

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

    /// <summary>
    /// Adds the reasons the current row is unusable as a whole: a field that is not UTF-8 or holds a control character
    /// (a NUL in an ID, a line break in a name), and a <c>Sr No</c> already used on an earlier line of the file.
    /// </summary>
    public void CheckRow(List<string> reasons)
    {
        // One pass over the whole row in the common, clean case; field by field only to name the column.
        var record = _reader.RawRecord;
        if (!Utf8.IsValid(record) || HasControlByte(record))
        {
            for (var i = 0; i < _reader.FieldCount; i++)
            {
                var raw = _reader.GetRawSpan(i);
                if (!Utf8.IsValid(raw))
                {
                    reasons.Add($"{ColumnName(i)} is not valid UTF-8");
                }
                else if (HasControlByte(raw) && FirstControl(_reader.GetString(i)) is { } control)
                {
                    // Decoded and trimmed first: padding (a tab before a value) is not part of the value.
                    reasons.Add($"{ColumnName(i)} contains the control character U+{(int)control:X4}");
                }
            }
        }

        if (_serialColumn == -2)
        {
            _serialColumn = Column("srno", "sr.no");
        }

        if (_serialColumn >= 0 && !_reader.IsEmpty(_serialColumn))
        {
            CheckSerial(reasons);
        }
    }

    public void Dispose() => _reader.Dispose();

    private void CheckSerial(List<string> reasons)
    {
        // Sr No is a number as a rule: kept as one, a million rows do not allocate a million strings.
        int first;
        if (long.TryParse(_reader.GetSpan(_serialColumn), NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var number))
        {
            if (_numericSerialLines.TryAdd(number, Line))
            {
                return;
            }

            first = _numericSerialLines[number];
        }
        else
        {
            var text = Field(_serialColumn);
            if (_serialLines.TryAdd(text, Line))
            {
                return;
            }

            first = _serialLines[text];
        }

        reasons.Add($"Sr No {Field(_serialColumn)} repeats line {first.ToString(CultureInfo.InvariantCulture)}: a row is billed once");
    }

    private string ColumnName(int index)
    {
        var headers = _reader.Headers;
        return index < headers.Count && headers[index].Length > 0 ? $"'{headers[index]}'" : $"column {index + 1}";
    }

    private static bool HasControlByte(ReadOnlySpan<byte> raw)
    {
        // C0 and DEL (vectorized, the common case is a short clean field); C1 controls (U+0080-U+009F) are 0xC2 0x80-0x9F.
        if (raw.IndexOfAnyInRange((byte)0x00, (byte)0x1F) >= 0 || raw.Contains((byte)0x7F))
        {
            return true;
        }

        var rest = raw;
        int at;
        while ((at = rest.IndexOf((byte)0xC2)) >= 0 && at + 1 < rest.Length)
        {
            if (rest[at + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }

            rest = rest[(at + 1)..];
        }

        return false;
    }

    private static char? FirstControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return c;
            }
        }

        return null;
    }

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
