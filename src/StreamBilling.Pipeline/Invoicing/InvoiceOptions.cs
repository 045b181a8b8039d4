using StreamBilling.Billing.RateCards;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>Settings of the Invoices topology.</summary>
public sealed class InvoiceOptions
{
    /// <summary>Application id: consumer group, prefix of the changelog and repartition topics.</summary>
    public string ApplicationId { get; set; } = "streambilling-invoices";

    /// <summary>Value of the <c>source</c> field of every invoice.</summary>
    public string Source { get; set; } = "streambilling.invoices";

    /// <summary>Rate card of Elastic IP idle hours (the rate in force at allocation, via the bill engine's pricer).</summary>
    public required RateCard RateCard { get; set; }

    /// <summary>
    /// A month closes (its invoice becomes final, later usage for it becomes correction lines on the next invoice) when
    /// stream time passes its end plus this grace. <see langword="null"/>: months never close (a replay of a finished
    /// period, where the latest month-to-date invoice is the bill).
    /// </summary>
    public TimeSpan? MonthCloseGrace { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long, in stream time, a closed month keeps its inputs (priced lines, Elastic IP allocations and associations
    /// that ended in it) so that late usage for it still becomes correction lines on the next invoice (default 92 days).
    /// After it — and once no open invoice carries a correction for it — the month is pruned with every month before it:
    /// its inputs, close and revision are deleted (changelogged), and later usage for it goes to the late-records topic
    /// (reason <c>month-pruned</c>) instead of becoming a correction. <see langword="null"/>: never pruned.
    /// </summary>
    public TimeSpan? ClosedMonthRetention { get; set; } = TimeSpan.FromDays(92);

    /// <summary>
    /// Wall-clock time without a new record after which a partition's input counts as silent, and its months close as the
    /// wall clock moves stream time on (<see cref="SilentInputClock"/>): a customer whose usage stopped still gets a final
    /// invoice. <see langword="null"/>: stream time only.
    /// </summary>
    public TimeSpan? SilentAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wall-clock interval at which a silent input is looked at.</summary>
    public TimeSpan SilenceCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Names printed on invoices, by customer id compared ignoring case and <c>-</c>; an unknown customer is named by its id.</summary>
    public IReadOnlyDictionary<string, string> CustomerNames { get; set; } = new Dictionary<string, string>();

    /// <summary>Keep the stores in RocksDB instead of memory (both are changelogged).</summary>
    public bool PersistentStores { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ApplicationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(Source);
        ArgumentNullException.ThrowIfNull(RateCard);
        ArgumentNullException.ThrowIfNull(CustomerNames);
        if (MonthCloseGrace is { } grace)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero, nameof(MonthCloseGrace));
        }

        if (ClosedMonthRetention is { } retention)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero, nameof(ClosedMonthRetention));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SilenceCheckInterval, TimeSpan.Zero, nameof(SilenceCheckInterval));
        if (SilentAfter is { } silent)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(silent, TimeSpan.Zero, nameof(SilentAfter));
        }
    }
}
