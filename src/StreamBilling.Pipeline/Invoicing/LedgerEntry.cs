using StreamBilling.Billing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// One stored input of a customer's invoices (see <see cref="LedgerKey"/>): a priced line, or both ends of an Elastic
/// IP allocation or association. <see cref="Seq"/> is the arrival position, so a rebuild adds inputs and closes months
/// in the order they happened.
/// </summary>
internal sealed record LedgerEntry(long Seq, LineEntry? Line, ElasticIpEvent? Start, ElasticIpEvent? End)
{
    /// <summary>An allocation or association whose start is known and whose end is not (a method: properties are stored).</summary>
    public bool IsOpen() => Start is not null && End is null;

    /// <summary>Where an allocation or association known from its start ends: its end, or the hour open ones are billed through.</summary>
    public DateTimeOffset UntilOf(DateTimeOffset? openThrough) =>
        End?.Time ?? Max(Start!.Time, openThrough ?? Start.Time);

    /// <summary>The last month the input bills in; null for an allocation or association still open (it may reach any later month).</summary>
    public BillingMonth? LastMonth()
    {
        if (Line is { } line)
        {
            return line.Month;
        }

        if (End is not { } end)
        {
            return null;
        }

        var start = Start?.Time ?? end.Time;
        return BillingMonth.Of(end.Time > start ? end.Time - TimeSpan.FromTicks(1) : start);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
