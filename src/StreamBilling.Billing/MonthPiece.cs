namespace StreamBilling.Billing;

/// <summary>The part of one usage event that falls in one calendar month; billed on its own.</summary>
/// <param name="Month">The month the piece lies in.</param>
/// <param name="From">Start of the piece (UTC, inclusive).</param>
/// <param name="Until">End of the piece (UTC, exclusive).</param>
public readonly record struct MonthPiece(BillingMonth Month, DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>The exact time used in the piece.</summary>
    public TimeSpan UsedTime => Until - From;

    /// <summary>Started hours of the piece: <c>ceil(seconds / 3600)</c>.</summary>
    public long BilledHours => MonthSplitter.BilledHours(UsedTime);
}
