using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;

using StreamBilling.Pipeline.Telemetry;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// BillingConsumer: one bill engine <see cref="InvoiceAssembler"/> per customer, fed from a changelogged store of its
/// inputs (priced lines by line id, Elastic IP allocations and associations by id). Emits the invoice of every month an
/// input changed (month to date) once per commit, on the task's flush, and the final invoice when stream time passes
/// month end plus grace.
/// </summary>
/// <remarks>
/// <para>
/// Retention (<see cref="InvoiceOptions.ClosedMonthRetention"/>): a month closed longer ago than the retention, owing no
/// correction to an open invoice, is pruned with every month before it by the hourly punctuation — its lines, the Elastic
/// IP allocations and associations that ended in it, its close and revision are deleted (changelogged, so a restore does
/// not bring them back). What later months need is kept: the first bill month (the free-tier window), and allocations or
/// associations still open, whose part before the pruned months is cut off. Input for a pruned month goes to the
/// late-records topic (<c>month-pruned</c>): its correction can no longer be computed.
/// </para>
/// <para>
/// The assemblers are a cache: after a restart (or when a line is replaced by a newer version, which the assembler's
/// add-only ledger cannot take back) a customer's assembler is rebuilt from the store, adding the inputs and closing the
/// months in their recorded order, so it holds exactly what it held before. A re-delivered line (same id, same content)
/// changes and emits nothing.
/// </para>
/// </remarks>
internal sealed class InvoiceProcessor(InvoiceOptions options, string entryStore, string customerStore) : IProcessor<string, BillingInput>
{
    private static readonly ISerde<BillingInput> InputSerde = PipelineJson.Serde<BillingInput>();
    private readonly UsagePricer _pricer = new(options.RateCard);
    private readonly Dictionary<string, InvoiceAssembler> _assemblers = new(StringComparer.Ordinal);

    // Months whose invoice changed since the last flush: one snapshot per customer and month per commit, not per line.
    private readonly HashSet<(string Customer, BillingMonth Month)> _changed = [];
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, InvoiceEntry> _entries = null!;
    private IKeyValueStore<string, CustomerInvoices> _customers = null!;

    // The hour through which every customer's open Elastic IPs were last extended; MinValue until the first record after
    // a start, which extends them all (a restart may resume below the hour it stopped in).
    private DateTimeOffset _extendedThrough = DateTimeOffset.MinValue;
    private SilentInputClock? _silence;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _entries = context.GetStateStore<IKeyValueStore<string, InvoiceEntry>>(entryStore);
        _customers = context.GetStateStore<IKeyValueStore<string, CustomerInvoices>>(customerStore);
        if (options.MonthCloseGrace is not null)
        {
            context.Schedule(TimeSpan.FromHours(1), PunctuationType.StreamTime, CloseMonths);
            if (options.SilentAfter is { } silentAfter)
            {
                // A partition without new records still closes its months: open Elastic IPs are billed through the
                // moved-on time first, as a record of that time would have done.
                _silence = new SilentInputClock(silentAfter);
                context.Schedule(options.SilenceCheckInterval, PunctuationType.WallClockTime, now =>
                {
                    if (_silence.EffectiveTime(now) is { } time)
                    {
                        ExtendOpenElasticIps(time);
                        CloseMonths(time);
                    }
                });
            }
        }
    }

    public void Process(Record<string, BillingInput> record)
    {
        _silence?.Observe(_context.StreamTime, _context.WallClockTime);
        ExtendOpenElasticIps(_context.StreamTime);
        var input = record.Value;
        var customer = input.Line?.CustomerId ?? input.ElasticIp!.AccountId;
        if (!string.Equals(record.Key, customer, StringComparison.Ordinal))
        {
            // Inputs are co-partitioned by account: a record keyed otherwise may sit in another customer's task.
            _context.SendToLateRecords(record, "key-mismatch: inputs must be keyed by accountId", Serdes.Utf8, InputSerde);
            return;
        }

        var state = _customers.TryGet(customer, out var existing) ? existing : new CustomerInvoices();
        if (PrunedMonthOf(customer, state, input) is { } pruned)
        {
            // Never dropped silently, never a silent change: the month's inputs are gone, so no correction can be computed.
            _context.SendToLateRecords(
                record,
                string.Create(CultureInfo.InvariantCulture, $"month-pruned: {pruned} was closed more than {options.ClosedMonthRetention} ago and pruned (through {state.PrunedThrough})"),
                Serdes.Utf8,
                InputSerde);
            return;
        }

        var assembler = Assembler(customer, state);
        var changed = input.Line is { } line ? ApplyLine(customer, state, ref assembler, line) : ApplyElasticIp(customer, state, assembler, input.ElasticIp!);
        if (changed.Count == 0)
        {
            if (input.ElasticIp is not null)
            {
                _customers.Put(customer, state); // the list of open ones may have changed without a bill
            }

            return;
        }

        foreach (var month in changed)
        {
            _changed.Add((customer, month));
        }

        _customers.Put(customer, state);
    }

    /// <summary>Publishes the month-to-date invoice of every month that changed since the last commit.</summary>
    public void Flush()
    {
        if (_changed.Count == 0)
        {
            return;
        }

        var at = _context.StreamTime;
        foreach (var group in _changed.GroupBy(c => c.Customer, StringComparer.Ordinal))
        {
            var state = _customers.TryGet(group.Key, out var existing) ? existing : new CustomerInvoices();
            var assembler = Assembler(group.Key, state);
            foreach (var (_, month) in group.OrderBy(c => c.Month))
            {
                Publish(state, assembler, month, at);
            }

            _customers.Put(group.Key, state);
        }

        _changed.Clear();
    }

    public void Close()
    {
    }

    /// <summary>Adds or replaces a line; returns the months whose invoices changed.</summary>
    private List<BillingMonth> ApplyLine(string customer, CustomerInvoices state, ref InvoiceAssembler assembler, LineEntry line)
    {
        var key = $"{customer}|L|{line.LineId}";
        var month = PricedLineItems.ParseMonth(line.Month);
        if (_entries.TryGet(key, out var stored))
        {
            if (stored.Line == line || (stored.Line is { } same && Same(same, line)))
            {
                return [];
            }

            // A newer version of the line: the assembler only adds, so it is rebuilt without the old version.
            if (line.IsRetraction)
            {
                _entries.Delete(key);
            }
            else
            {
                _entries.Put(key, stored with { Line = line });
            }

            _assemblers.Remove(customer);
            assembler = Assembler(customer, state);
            var earliest = stored.Line is null ? month : Min(month, PricedLineItems.ParseMonth(stored.Line.Month));
            return OpenMonthsFrom(assembler, earliest, last: null);
        }

        if (line.IsRetraction)
        {
            return [];
        }

        _entries.Put(key, new InvoiceEntry(state.NextSeq++, line, null, null));
        var firstBefore = state.EarliestMonth;
        if (firstBefore is null || string.CompareOrdinal(line.Month, firstBefore) < 0)
        {
            state.EarliestMonth = line.Month;
        }

        if (assembler.Add(line.ToLine()) is not { } target)
        {
            return [];
        }

        // A line before the first bill month moves the free-tier window: every open month may change.
        return firstBefore is not null && string.CompareOrdinal(line.Month, firstBefore) < 0 ? OpenMonthsFrom(assembler, target, last: null) : [target];
    }

    /// <summary>
    /// The month of <paramref name="input"/> when it was pruned: a line of a pruned month, or an Elastic IP event in a
    /// pruned month whose allocation or association is not kept (it ended in the pruned months, or is unknown).
    /// </summary>
    private BillingMonth? PrunedMonthOf(string customer, CustomerInvoices state, BillingInput input)
    {
        if (state.PrunedThrough is not { } through)
        {
            return null;
        }

        var pruned = PricedLineItems.ParseMonth(through);
        if (input.Line is { } line)
        {
            var month = PricedLineItems.ParseMonth(line.Month);
            return month <= pruned ? month : null;
        }

        var e = input.ElasticIp!;
        var eventMonth = BillingMonth.Of(e.Time);
        return eventMonth <= pruned && !_entries.TryGet(ElasticIpKey(customer, e), out _) ? eventMonth : null;
    }

    private static string ElasticIpKey(string customer, ElasticIpEvent e) => $"{customer}|{(e.IsAssociation ? 'S' : 'A')}|{e.SubjectId}";

    /// <summary>Records one end of an allocation or association and upserts what is known of it; returns the months that changed.</summary>
    private List<BillingMonth> ApplyElasticIp(string customer, CustomerInvoices state, InvoiceAssembler assembler, ElasticIpEvent e)
    {
        var key = ElasticIpKey(customer, e);
        var entry = _entries.TryGet(key, out var stored) ? stored : new InvoiceEntry(state.NextSeq++, null, null, null);
        if ((e.IsStart ? entry.Start : entry.End)?.EventId == e.EventId)
        {
            return [];
        }

        entry = e.IsStart ? entry with { Start = e } : entry with { End = e };
        _entries.Put(key, entry);
        var month = BillingMonth.Of(e.Time);
        if (state.EarliestMonth is null || string.CompareOrdinal(month.ToString(), state.EarliestMonth) < 0)
        {
            state.EarliestMonth = month.ToString();
        }

        state.OpenElasticIps.Remove(key);
        if (IsOpen(entry))
        {
            state.OpenElasticIps.Add(key);
        }

        // A customer's first open allocation starts at the hour the others are billed through, like theirs.
        var extended = Extend(customer, state, assembler, _extendedThrough);
        if (Upsert(assembler, entry, state.OpenThrough, KeptFrom(state)) is not { } changed)
        {
            return extended;
        }

        var months = OpenMonthsFrom(assembler, changed, BillingMonth.Of(UntilOf(entry, state.OpenThrough)));
        return [.. months.Union(extended).Order()];
    }

    private static bool IsOpen(InvoiceEntry entry) => entry.Start is not null && entry.End is null;

    /// <summary>Where an allocation or association known from its start ends: its end, or the hour open ones are billed through.</summary>
    private static DateTimeOffset UntilOf(InvoiceEntry entry, DateTimeOffset? openThrough) =>
        entry.End?.Time ?? Max(entry.Start!.Time, openThrough ?? entry.Start.Time);

    /// <summary>
    /// Once per hour of stream time (and on the first record after a start): bills every customer's open allocations and
    /// associations through the start of the current hour, and marks the months that changed for the next flush.
    /// </summary>
    private void ExtendOpenElasticIps(DateTimeOffset time)
    {
        var hour = AvroTime.HourOf(time);
        if (hour <= _extendedThrough)
        {
            return;
        }

        _extendedThrough = hour;
        foreach (var (customer, state) in _customers.All().ToList())
        {
            if (state.OpenElasticIps.Count == 0 || state.OpenThrough >= hour)
            {
                continue;
            }

            var changed = Extend(customer, state, Assembler(customer, state), hour);
            foreach (var month in changed)
            {
                _changed.Add((customer, month));
            }

            _customers.Put(customer, state);
        }
    }

    /// <summary>Extends the customer's open allocations and associations to <paramref name="through"/>; returns the months that changed.</summary>
    private List<BillingMonth> Extend(string customer, CustomerInvoices state, InvoiceAssembler assembler, DateTimeOffset through)
    {
        if (state.OpenElasticIps.Count == 0 || state.OpenThrough >= through)
        {
            return [];
        }

        state.OpenThrough = through;
        var keptFrom = KeptFrom(state);
        BillingMonth? first = null;
        foreach (var key in state.OpenElasticIps)
        {
            if (_entries.TryGet(key, out var entry) && Upsert(assembler, entry, through, keptFrom) is { } month && (first is null || month < first))
            {
                first = month;
            }
        }

        return first is { } from ? OpenMonthsFrom(assembler, from, BillingMonth.Of(through)) : [];
    }

    /// <summary>
    /// Upserts an allocation or association known from its start (an open one lasts until <paramref name="openThrough"/>).
    /// With pruned months (<paramref name="keptFrom"/>: the start of the first month kept), only its part from there on:
    /// the pruned months are not billed again, and the months after them are billed per month piece anyway.
    /// </summary>
    private BillingMonth? Upsert(InvoiceAssembler assembler, InvoiceEntry entry, DateTimeOffset? openThrough, DateTimeOffset? keptFrom)
    {
        if (entry.Start is not { } start)
        {
            return null;
        }

        var until = UntilOf(entry, openThrough);
        var from = start.Time;
        if (keptFrom is { } kept && from < kept)
        {
            if (until <= kept)
            {
                return null; // entirely in the pruned months
            }

            from = kept;
        }

        if (start.IsAssociation)
        {
            var ids = entry.End is null ? [start.EventId] : new[] { start.EventId, entry.End.EventId };
            return assembler.UpsertElasticIpAttachment(new ElasticIpAttachment(start.AssociationId!, ids, start.PublicIp, start.InstanceId!, from, until));
        }

        var eventIds = entry.End is null ? [start.EventId] : new[] { start.EventId, entry.End.EventId };
        var holding = new ElasticIpHolding(start.AllocationId, eventIds, start.AccountId, start.Region, start.PublicIp, start.Time, until, start.Byoip);

        // Priced from the allocation (the rate in force then), billed from the first month kept.
        var priced = _pricer.PriceElasticIp(holding);
        return assembler.UpsertElasticIp(from == start.Time ? priced : priced with { Holding = holding with { From = from } });
    }

    /// <summary>Start of the first month not pruned, or null when nothing was pruned.</summary>
    private static DateTimeOffset? KeptFrom(CustomerInvoices state) =>
        state.PrunedThrough is { } through ? PricedLineItems.ParseMonth(through).Next.Start : null;

    /// <summary>The customer's assembler, rebuilt from the store when it is not cached (first use after a start, or a replaced line).</summary>
    private InvoiceAssembler Assembler(string customer, CustomerInvoices state)
    {
        if (_assemblers.TryGetValue(customer, out var cached))
        {
            return cached;
        }

        var assembler = new InvoiceAssembler(customer, NameOf(customer))
        {
            KnownFirstBillMonth = state.FirstBillMonth is { } first ? PricedLineItems.ParseMonth(first) : null,
        };
        var keptFrom = KeptFrom(state);
        var range = _entries.Range(customer + "|", customer + "|\uffff").ToList();
        SyncOpenElasticIps(customer, state, range);
        var entries = range.Select(e => e.Value).OrderBy(e => e.Seq).ToList();
        var closes = state.Closed;
        var next = 0;
        foreach (var entry in entries)
        {
            for (; next < closes.Count && closes[next].Seq <= entry.Seq; next++)
            {
                assembler.Close(PricedLineItems.ParseMonth(closes[next].Month));
            }

            if (entry.Line is { } line)
            {
                assembler.Add(line.ToLine());
            }
            else
            {
                // Open ones through the hour they were last extended to, as before the restart.
                Upsert(assembler, entry, state.OpenThrough, keptFrom);
            }
        }

        for (; next < closes.Count; next++)
        {
            assembler.Close(PricedLineItems.ParseMonth(closes[next].Month));
        }

        _assemblers[customer] = assembler;
        return assembler;
    }

    /// <summary>
    /// Keeps the list of open allocations and associations equal to what the store holds (a store written before the
    /// list existed has none).
    /// </summary>
    private void SyncOpenElasticIps(string customer, CustomerInvoices state, List<KeyValuePair<string, InvoiceEntry>> range)
    {
        var open = range.Where(e => IsOpen(e.Value)).Select(e => e.Key).ToList();
        if (!open.Order(StringComparer.Ordinal).SequenceEqual(state.OpenElasticIps.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            state.OpenElasticIps = open;
            _customers.Put(customer, state);
        }
    }

    /// <summary>
    /// Closes every month whose end plus grace stream time has passed, and publishes its final invoice; then prunes the
    /// months closed longer than the retention ago.
    /// </summary>
    private void CloseMonths(DateTimeOffset streamTime)
    {
        var grace = options.MonthCloseGrace!.Value;
        foreach (var (customer, state) in _customers.All().ToList())
        {
            var assembler = Assembler(customer, state);
            var due = assembler.Months.Where(m => !assembler.IsClosed(m) && m.End + grace <= streamTime).ToList();
            foreach (var month in due)
            {
                // The final invoice supersedes a pending month-to-date one.
                _changed.Remove((customer, month));
                assembler.Close(month);
                state.Closed.Add(new ClosedMonthEntry(month.ToString(), state.NextSeq, streamTime));
                Publish(state, assembler, month, streamTime);
            }

            var pruned = Prune(customer, state, assembler, streamTime);
            if (due.Count > 0 || pruned)
            {
                _customers.Put(customer, state);
            }
        }
    }

    /// <summary>
    /// Prunes the customer's months up to the latest one such that it and every month before it are closed, were closed
    /// longer than the retention ago, and owe no correction to the open invoice; returns whether it pruned.
    /// </summary>
    private bool Prune(string customer, CustomerInvoices state, InvoiceAssembler assembler, DateTimeOffset streamTime)
    {
        if (options.ClosedMonthRetention is not { } retention)
        {
            return false;
        }

        var grace = options.MonthCloseGrace!.Value;
        bool Expired(ClosedMonthEntry closed) => (closed.ClosedAt ?? (PricedLineItems.ParseMonth(closed.Month).End + grace)) + retention <= streamTime;
        if (!state.Closed.Exists(Expired))
        {
            return false;
        }

        // Corrections of months before the first open one are all carried by it (the first month after them not closed).
        var firstOpen = assembler.Months.Where(m => !assembler.IsClosed(m)).Select(m => (BillingMonth?)m).FirstOrDefault();
        var owed = firstOpen is { } open && assembler.Bill(open) is { } bill
            ? bill.Corrections.Select(c => c.CorrectsMonth).ToHashSet()
            : [];
        BillingMonth? through = null;
        foreach (var closed in state.Closed.OrderBy(c => c.Month, StringComparer.Ordinal))
        {
            var month = PricedLineItems.ParseMonth(closed.Month);
            if ((firstOpen is { } next && month >= next) || !Expired(closed) || owed.Contains(month))
            {
                break;
            }

            through = month;
        }

        if (through is not { } last)
        {
            return false;
        }

        state.FirstBillMonth = assembler.FirstBillMonth?.ToString();
        foreach (var (key, entry) in _entries.Range(customer + "|", customer + "|\uffff").ToList())
        {
            if (LastMonthOf(entry) is { } month && month <= last)
            {
                _entries.Delete(key);
            }
        }

        state.Closed.RemoveAll(c => PricedLineItems.ParseMonth(c.Month) <= last);
        foreach (var month in state.Revisions.Keys.Where(m => PricedLineItems.ParseMonth(m) <= last).ToList())
        {
            state.Revisions.Remove(month);
        }

        state.PrunedThrough = last.ToString();

        // Rebuilt from what is kept on next use, so the cached assembler equals the one a restart builds.
        _assemblers.Remove(customer);
        return true;
    }

    /// <summary>The last month an input bills in; null for an allocation or association still open (it may reach any later month).</summary>
    private static BillingMonth? LastMonthOf(InvoiceEntry entry)
    {
        if (entry.Line is { } line)
        {
            return PricedLineItems.ParseMonth(line.Month);
        }

        if (entry.End is not { } end)
        {
            return null;
        }

        var start = entry.Start?.Time ?? end.Time;
        return BillingMonth.Of(end.Time > start ? end.Time - TimeSpan.FromTicks(1) : start);
    }

    private void Publish(CustomerInvoices state, InvoiceAssembler assembler, BillingMonth month, DateTimeOffset at)
    {
        if (assembler.Bill(month) is not { } bill)
        {
            return;
        }

        var key = month.ToString();
        var revision = state.Revisions.GetValueOrDefault(key) + 1;
        state.Revisions[key] = revision;
        var status = assembler.IsClosed(month) ? InvoiceStatus.Final : InvoiceStatus.MonthToDate;
        var invoice = InvoiceRecords.ToRecord(bill, status, revision, at, options.Source, options.RateCard.Currency);

        // One record id per customer and month: every version of the invoice replaces the one before (latest wins).
        _context.Forward(new Record<string, Invoice>(invoice.invoiceId, invoice, at) { Id = DeterministicId.FromParts("invoice", invoice.invoiceId) });
        BillingMetrics.RecordInvoice(status);
    }

    /// <summary>Open months from <paramref name="first"/> (through <paramref name="last"/> when given) that have a bill.</summary>
    private static List<BillingMonth> OpenMonthsFrom(InvoiceAssembler assembler, BillingMonth first, BillingMonth? last)
    {
        var months = assembler.Months.Where(m => m >= first && (last is null || m <= last.Value) && !assembler.IsClosed(m)).ToList();
        if (months.Count == 0 || months[0] != first)
        {
            // The first month may be closed (the change is a correction on the next open month) or have no bill yet.
            var target = first;
            while (assembler.IsClosed(target))
            {
                target = target.Next;
            }

            if (!months.Contains(target))
            {
                months.Insert(0, target);
            }
        }

        return months;
    }

    private string NameOf(string customer) =>
        options.CustomerNames.TryGetValue(customer, out var name) || options.CustomerNames.TryGetValue(CanonicalId.Of(customer), out name) ? name : customer;

    private static bool Same(LineEntry a, LineEntry b) =>
        a with { SourceEventIds = b.SourceEventIds } == b && a.SourceEventIds.SequenceEqual(b.SourceEventIds, StringComparer.Ordinal);

    private static BillingMonth Min(BillingMonth a, BillingMonth b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
