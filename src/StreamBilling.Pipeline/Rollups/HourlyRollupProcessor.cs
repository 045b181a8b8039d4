using System.Globalization;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Rollups;

/// <summary>
/// Tumbling one-hour windows per (account, region, role, service) over contributions from segments and priced lines, emitting the
/// <see cref="HourlyRollup"/> of every hour that changed once per commit (on the task's flush), not once per contribution.
/// </summary>
/// <remarks>
/// Upstream records are upserts (a late terminate re-emits slices under the same ids, a replay re-sends them), so the
/// window total cannot simply add every record: each contribution is remembered by its upstream id and a new version
/// adds only its difference. Re-delivered records change nothing and emit nothing. A contribution for an hour that has
/// not started yet (a reserved month is priced at purchase, up to three years ahead) waits in a store until stream time
/// reaches its hour: written into the window stores it would move them to that hour and expire every open hour.
/// </remarks>
internal sealed class HourlyRollupProcessor(
    HourlyRollupOptions options,
    string contributionStore,
    string hourStore,
    string pendingStore,
    ISerde<RollupContribution> lateSerde) : IProcessor<string, RollupContribution>
{
    private const string Ec2Unit = "Minutes";
    private const string NoUnit = "None";

    private readonly TimeWindows _hours = TimeWindows.OfSizeWithGrace(TimeSpan.FromHours(1), options.Grace);
    private IProcessorContext _context = null!;
    private IWindowStore<string, RollupContribution> _contributions = null!;
    private IWindowStore<string, RollupTotals> _totals = null!;
    private IKeyValueStore<string, RollupContribution> _pending = null!;
    private DateTimeOffset _earliestPending = DateTimeOffset.MaxValue;

    // Hours changed since the last flush, with the timestamp of their latest contribution.
    private readonly Dictionary<(string RollupKey, DateTimeOffset Hour), DateTimeOffset> _changed = [];

    public void Init(IProcessorContext context)
    {
        _context = context;
        _contributions = context.GetStateStore<IWindowStore<string, RollupContribution>>(contributionStore);
        _totals = context.GetStateStore<IWindowStore<string, RollupTotals>>(hourStore);
        _pending = context.GetStateStore<IKeyValueStore<string, RollupContribution>>(pendingStore);
        foreach (var (_, waiting) in _pending.All())
        {
            _earliestPending = Min(_earliestPending, waiting.HourStart);
        }
    }

    public void Process(Record<string, RollupContribution> record)
    {
        ReleaseStartedHours();
        var contribution = record.Value;
        if (!string.Equals(record.Key, contribution.CustomerId, StringComparison.Ordinal))
        {
            // The task holds only its partition's accounts: a record keyed otherwise would split its rollup across tasks.
            _context.SendToLateRecords(record, "key-mismatch: inputs must be keyed by accountId", Serdes.Utf8, lateSerde);
            return;
        }

        if (contribution.Currency is { } currency && !string.Equals(currency, options.Currency, StringComparison.Ordinal))
        {
            _context.SendToLateRecords(record, "currency-mismatch", Serdes.Utf8, lateSerde);
            return;
        }

        if (contribution.HourStart > _context.StreamTime)
        {
            // A newer version of a waiting contribution replaces it.
            _pending.Put(ContributionKey(contribution), contribution);
            _earliestPending = Min(_earliestPending, contribution.HourStart);
            return;
        }

        Apply(record);
    }

    /// <summary>Emits the current totals of every hour that changed since the last commit.</summary>
    public void Flush()
    {
        if (_changed.Count == 0)
        {
            return;
        }

        // In hour order, so a reader sees a partition's hours in the order they happened.
        foreach (var ((rollupKey, hour), timestamp) in _changed.OrderBy(c => c.Key.Hour).ThenBy(c => c.Key.RollupKey, StringComparer.Ordinal))
        {
            if (_totals.TryGet(rollupKey, hour, out var totals))
            {
                Emit(totals, hour, timestamp);
            }
        }

        _changed.Clear();
    }

    public void Close()
    {
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Applies the waiting contributions whose hour stream time has reached.</summary>
    private void ReleaseStartedHours()
    {
        var streamTime = _context.StreamTime;
        if (_earliestPending > streamTime)
        {
            return;
        }

        var next = DateTimeOffset.MaxValue;
        foreach (var (key, waiting) in _pending.All().ToList())
        {
            if (waiting.HourStart > streamTime)
            {
                next = Min(next, waiting.HourStart);
                continue;
            }

            _pending.Delete(key);
            Apply(new Record<string, RollupContribution>(waiting.GroupKey, waiting, waiting.HourStart));
        }

        _earliestPending = next;
    }

    private void Apply(Record<string, RollupContribution> record)
    {
        var contribution = record.Value;
        var hour = contribution.HourStart;
        if (_hours.IsClosed(hour, _context.StreamTime))
        {
            _context.SendToLateRecords(record, "window-closed", Serdes.Utf8, lateSerde);
            return;
        }

        var key = ContributionKey(contribution);
        var known = _contributions.TryGet(key, hour, out var previous);
        if (known && previous!.UsedSeconds == contribution.UsedSeconds && previous.Cost == contribution.Cost)
        {
            return;
        }

        var totals = _totals.TryGet(contribution.RollupKey, hour, out var existing)
            ? existing
            : new RollupTotals(contribution.CustomerId, contribution.Region, contribution.Role, contribution.Service, 0, 0, 0);
        totals = totals with
        {
            UsedSeconds = totals.UsedSeconds + contribution.UsedSeconds - (known ? previous!.UsedSeconds : 0),
            Cost = totals.Cost + contribution.Cost - (known ? previous!.Cost : 0),
            LineCount = totals.LineCount + (contribution.IsPricedLine && !known ? 1 : 0),
        };
        _totals.Put(contribution.RollupKey, totals, hour);
        _contributions.Put(key, contribution, hour);
        var changed = (contribution.RollupKey, hour);
        _changed[changed] = _changed.TryGetValue(changed, out var latest) && latest > record.Timestamp ? latest : record.Timestamp;
    }


    /// <summary>Id of a rollup: account + partition key + service + hour, as the schema defines it.</summary>
    internal static string RollupId(string customerId, string partitionKey, ServiceKind service, DateTimeOffset hourStart) =>
        DeterministicId.FromParts("hourly-rollup", customerId, partitionKey, service.ToString(), hourStart.UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>ISO 8601 week of <paramref name="time"/>, e.g. <c>2024-W33</c>.</summary>
    internal static string IsoWeekOf(DateTimeOffset time)
    {
        var date = time.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):D2}");
    }

    private static string ContributionKey(RollupContribution contribution) =>
        // Stored per hour: contributions expire with their hour (window store retention), no clean-up pass needed.
        string.Create(CultureInfo.InvariantCulture, $"{contribution.RollupKey}|{(contribution.IsPricedLine ? 'L' : 'S')}|{contribution.SourceId}");

    private void Emit(RollupTotals totals, DateTimeOffset hour, DateTimeOffset timestamp)
    {
        var partitionKey = RollupContribution.PartitionKeyOf(totals.Region, totals.Role);
        var id = RollupId(totals.CustomerId, partitionKey, totals.Service, hour);
        var isEc2 = totals.Service == ServiceKind.Ec2;
        var rollup = new HourlyRollup
        {
            eventId = id,
            source = options.Source,
            region = totals.Region,
            role = totals.Role,
            service = totals.Service,
            partitionKey = partitionKey,
            isoWeek = IsoWeekOf(hour),
            hourStart = AvroTime.To(hour),
            usageQuantity = AvroDecimals.Quantity(isEc2 ? totals.UsedSeconds / 60m : 0m),
            usageUnit = isEc2 ? Ec2Unit : NoUnit,
            cost = AvroDecimals.Money(totals.Cost),
            currency = options.Currency,
            lineCount = totals.LineCount,
            customerId = totals.CustomerId,
        };
        _context.Forward(new Record<string, HourlyRollup>(partitionKey, rollup, timestamp) { Id = id });
    }
}
