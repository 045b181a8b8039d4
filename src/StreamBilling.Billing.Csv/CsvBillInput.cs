using System.Globalization;

namespace StreamBilling.Billing.Csv;

/// <summary>The bill input read from a folder of CSV files, with the problems found while reading.</summary>
public sealed class CsvBillInput
{
    // Files whose records others refer to come first, so a root cause is listed before what follows from it.
    private static readonly InputKind[] RootCausesFirst =
    [
        InputKind.Customer, InputKind.Rate, InputKind.FreeTier, InputKind.ElasticIpRate,
        InputKind.ReservedInstance, InputKind.Usage, InputKind.ElasticIpAllocation, InputKind.ElasticIpAssociation,
    ];

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

    /// <summary>
    /// Rows that could not be read (bad timestamp, money, OS, missing value, broken quoting, text that is not UTF-8 or
    /// holds a control character, a repeated <c>Sr No</c>); they are not in <see cref="Input"/>.
    /// </summary>
    public IReadOnlyList<InputError> RowErrors { get; }

    /// <summary>
    /// Names the file, line and raw row of each record the bill rules rejected. A reason about another record of the
    /// same file gets that record's line; a failed reference to a file that has rejected rows of its own (an unknown
    /// customer while <c>Customer.csv</c> has bad rows) says so, since those rows may be the root cause.
    /// </summary>
    public IReadOnlyList<InputError> Describe(IReadOnlyList<InputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var filesWithErrors = RowErrors.Select(e => e.File).Concat(issues.Select(i => _sources[i.Kind].FileName)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var errors = new List<InputError>(issues.Count);
        foreach (var group in issues.GroupBy(i => i.Kind))
        {
            var source = _sources[group.Key];
            var lines = group.Select(i => (Issue: i, Line: source.Lines[i.Index])).ToList();
            var raw = source.RawRows(lines.Select(l => l.Line).ToHashSet());
            errors.AddRange(lines.Select(l => new InputError(source.FileName, l.Line, Reason(l.Issue, source, filesWithErrors), raw.GetValueOrDefault(l.Line, string.Empty))));
        }

        return errors;
    }

    /// <summary>
    /// Every row error and every rejected record (<see cref="Describe"/>), root causes first: customers, then rates,
    /// free tier and Elastic IP rates, then the reservations, usage, allocations and associations that refer to them;
    /// within a file by line.
    /// </summary>
    public IReadOnlyList<InputError> Errors(IReadOnlyList<InputIssue> issues)
    {
        var rank = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (kind, source) in _sources)
        {
            rank[source.FileName] = Array.IndexOf(RootCausesFirst, kind);
        }

        return [.. RowErrors.Concat(Describe(issues))
            .OrderBy(e => rank.GetValueOrDefault(e.File, RootCausesFirst.Length))
            .ThenBy(e => e.File, StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.Line)];
    }

    private string Reason(InputIssue issue, SourceFile source, HashSet<string> filesWithErrors)
    {
        var reason = issue.Reason;
        if (issue.RelatedIndex is { } related)
        {
            reason += " on line " + source.Lines[related].ToString(CultureInfo.InvariantCulture);
        }

        if (issue.Cause is { } cause && _sources.TryGetValue(cause, out var causeFile) && filesWithErrors.Contains(causeFile.FileName))
        {
            reason += $" (see the rejected rows of {causeFile.FileName} above)";
        }

        return reason;
    }
}
