namespace StreamBilling.Billing.Csv;

/// <summary>A problem with an input file or one of its rows.</summary>
/// <param name="File">File name (without directory).</param>
/// <param name="Line">1-based line of the row in the file; 0 when the problem is the file itself.</param>
/// <param name="Reason">What is wrong.</param>
/// <param name="RawRow">The row as it appears in the file; empty for file problems.</param>
public sealed record InputError(string File, int Line, string Reason, string RawRow)
{
    /// <inheritdoc />
    public override string ToString() => Line == 0 ? $"{File}: {Reason}" : $"{File}:{Line}: {Reason}";
}
