namespace StreamBilling.Billing.Csv;

/// <summary>The bill input read from a folder of CSV files, with the problems found while reading.</summary>
public sealed class CsvBillInput
{
    private readonly Dictionary<InputKind, SourceFile> _sources;

    internal CsvBillInput(BillInput input, IReadOnlyList<InputError> fileErrors, IReadOnlyList<InputError> rowErrors, Dictionary<InputKind, SourceFile> sources)
    {
        Input = input;
        FileErrors = fileErrors;
        RowErrors = rowErrors;
        _sources = sources;
    }

    /// <summary>The records that could be read.</summary>
    public BillInput Input { get; }

    /// <summary>Problems that make the input unusable as a whole: a required file or column is missing.</summary>
    public IReadOnlyList<InputError> FileErrors { get; }

    /// <summary>Rows that could not be read (bad timestamp, money, OS, missing value, broken quoting); they are not in <see cref="Input"/>.</summary>
    public IReadOnlyList<InputError> RowErrors { get; }

    /// <summary>Names the file, line and raw row of each record the bill rules rejected.</summary>
    public IReadOnlyList<InputError> Describe(IReadOnlyList<InputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var errors = new List<InputError>(issues.Count);
        foreach (var group in issues.GroupBy(i => i.Kind))
        {
            var source = _sources[group.Key];
            var lines = group.Select(i => (Issue: i, Line: source.Lines[i.Index])).ToList();
            var raw = source.RawRows(lines.Select(l => l.Line).ToHashSet());
            errors.AddRange(lines.Select(l => new InputError(source.FileName, l.Line, l.Issue.Reason, raw.GetValueOrDefault(l.Line, string.Empty))));
        }

        return errors;
    }
}
