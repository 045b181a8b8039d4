using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The invoicing processor: routes each <see cref="BillingInput"/> into the customer's ledger
/// (<see cref="LedgerStore"/>) and bill engine (<see cref="AssemblerCache"/>), and emits the invoice of every month an
/// input changed (month to date) once per commit, on the task's flush (<see cref="InvoicePublisher"/>). Months close
/// when stream time passes month end plus grace (<see cref="MonthCloser"/>), and months closed long ago are pruned
/// (<see cref="ClosedMonthRetention"/>). A re-delivered line (same id, same content) changes and emits nothing.
/// </summary>
internal sealed class InvoiceProcessor : IProcessor<string, BillingInput>
{
    private static readonly ISerde<BillingInput> InputSerde = PipelineJson.Serde<BillingInput>();
    private readonly InvoiceOptions _options;
    private readonly string _entryStore;
    private readonly string _customerStore;
    private IProcessorContext _context = null!;
    private LedgerStore _ledger = null!;
    private AssemblerCache _assemblers = null!;
    private ElasticIpPricing _pricing = null!;
    private InvoicePublisher _publisher = null!;
    private OpenElasticIpBilling _openElasticIps = null!;
    private ClosedMonthRetention _retention = null!;
    private MonthCloser _closer = null!;
    private SilentInputClock? _silence;

    public InvoiceProcessor(InvoiceOptions options, string entryStore, string customerStore)
    {
        _options = options;
        _entryStore = entryStore;
        _customerStore = customerStore;
    }

    public void Init(IProcessorContext context)
    {
        _context = context;
        _ledger = new LedgerStore(
            context.GetStateStore<IKeyValueStore<string, LedgerEntry>>(_entryStore),
            context.GetStateStore<IKeyValueStore<string, CustomerInvoices>>(_customerStore));
        _pricing = new ElasticIpPricing(new UsagePricer(_options.RateCard));
        _assemblers = new AssemblerCache(_options, _ledger, _pricing);
        _publisher = new InvoicePublisher(_options, _ledger, _assemblers);
        _publisher.Init(context);
        _openElasticIps = new OpenElasticIpBilling(_ledger, _assemblers, _pricing, _publisher);
        _retention = new ClosedMonthRetention(_options, _ledger, _assemblers);
        _closer = new MonthCloser(_options, _ledger, _assemblers, _publisher, _retention);
        if (_options.MonthCloseGrace is not null)
        {
            context.Schedule(TimeSpan.FromHours(1), PunctuationType.StreamTime, _closer.CloseMonths);
            if (_options.SilentAfter is { } silentAfter)
            {
                // A partition without new records still closes its months: open Elastic IPs are billed through the
                // moved-on time first, as a record of that time would have done.
                _silence = new SilentInputClock(silentAfter);
                context.Schedule(_options.SilenceCheckInterval, PunctuationType.WallClockTime, now =>
                {
                    if (_silence.EffectiveTime(now) is { } time)
                    {
                        _openElasticIps.ExtendAll(time);
                        _closer.CloseMonths(time);
                    }
                });
            }
        }
    }

    public void Process(Record<string, BillingInput> record)
    {
        _silence?.Observe(_context.StreamTime, _context.WallClockTime);
        _openElasticIps.ExtendAll(_context.StreamTime);
        var input = record.Value;
        var customer = input.AccountId;
        if (!string.Equals(record.Key, customer, StringComparison.Ordinal))
        {
            // Inputs are co-partitioned by account: a record keyed otherwise may sit in another customer's task.
            _context.SendToLateRecords(record, "key-mismatch: inputs must be keyed by accountId", Serdes.Utf8, InputSerde);
            return;
        }

        var state = _ledger.Customer(customer);
        if (_retention.PrunedMonthOf(state, input) is { } pruned)
        {
            // Never dropped silently, never a silent change: the month's inputs are gone, so no correction can be computed.
            _context.SendToLateRecords(
                record,
                string.Create(CultureInfo.InvariantCulture, $"month-pruned: {pruned} was closed more than {_options.ClosedMonthRetention} ago and pruned (through {state.PrunedThrough})"),
                Serdes.Utf8,
                InputSerde);
            return;
        }

        var assembler = _assemblers.Get(customer, state);
        var changed = input switch
        {
            PricedLineInput line => ApplyLine(customer, state, assembler, line.Line),
            ElasticIpInput elasticIp => ApplyElasticIp(state, assembler, elasticIp.Event),
            _ => throw new ArgumentOutOfRangeException(nameof(record), input, "Not a billing input."),
        };
        if (changed.Count == 0)
        {
            if (input is ElasticIpInput)
            {
                _ledger.PutCustomer(customer, state); // the list of open ones may have changed without a bill
            }

            return;
        }

        _publisher.MarkChanged(customer, changed);
        _ledger.PutCustomer(customer, state);
    }

    /// <summary>Publishes the month-to-date invoice of every month that changed since the last commit.</summary>
    public void Flush() => _publisher.Flush();

    public void Close()
    {
    }

    /// <summary>Adds or replaces a line; returns the months whose invoices changed.</summary>
    private List<BillingMonth> ApplyLine(string customer, CustomerInvoices state, InvoiceAssembler assembler, LineEntry line)
    {
        var key = new LedgerKey(customer, LedgerEntryKind.Line, line.LineId);
        if (_ledger.TryGet(key, out var stored))
        {
            if (stored.Line == line || (stored.Line is { } same && same.SameAs(line)))
            {
                return [];
            }

            // A newer version of the line: the assembler only adds, so it is rebuilt without the old version.
            if (line.IsRetraction)
            {
                _ledger.Delete(key);
            }
            else
            {
                _ledger.Put(key, stored with { Line = line });
            }

            _assemblers.Evict(customer);
            var rebuilt = _assemblers.Get(customer, state);
            var earliest = stored.Line is null || line.Month < stored.Line.Month ? line.Month : stored.Line.Month;
            return OpenMonths.From(rebuilt, earliest, last: null);
        }

        if (line.IsRetraction)
        {
            return [];
        }

        _ledger.Put(key, new LedgerEntry(state.NextSeq++, line, null, null));
        var firstBefore = state.EarliestMonth;
        if (firstBefore is null || line.Month < firstBefore)
        {
            state.EarliestMonth = line.Month;
        }

        if (assembler.Add(line.ToLine()) is not { } target)
        {
            return [];
        }

        // A line before the first bill month moves the free-tier window: every open month may change.
        return firstBefore is not null && line.Month < firstBefore ? OpenMonths.From(assembler, target, last: null) : [target];
    }

    /// <summary>Records one end of an allocation or association and upserts what is known of it; returns the months that changed.</summary>
    private List<BillingMonth> ApplyElasticIp(CustomerInvoices state, InvoiceAssembler assembler, ElasticIpEvent e)
    {
        var key = e.Key();
        var entry = _ledger.TryGet(key, out var stored) ? stored : new LedgerEntry(state.NextSeq++, null, null, null);
        if ((e.IsStart ? entry.Start : entry.End)?.EventId == e.EventId)
        {
            return [];
        }

        entry = e.IsStart ? entry with { Start = e } : entry with { End = e };
        _ledger.Put(key, entry);
        var month = BillingMonth.Of(e.Time);
        if (state.EarliestMonth is null || month < state.EarliestMonth)
        {
            state.EarliestMonth = month;
        }

        state.OpenElasticIps.Remove(key);
        if (entry.IsOpen())
        {
            state.OpenElasticIps.Add(key);
        }

        // A customer's first open allocation starts at the hour the others are billed through, like theirs.
        var extended = _openElasticIps.Extend(state, assembler, _openElasticIps.ExtendedThrough);
        if (_pricing.Upsert(assembler, entry, state.OpenThrough, state.KeptFrom()) is not { } changed)
        {
            return extended;
        }

        var months = OpenMonths.From(assembler, changed, BillingMonth.Of(entry.UntilOf(state.OpenThrough)));
        return [.. months.Union(extended).Order()];
    }
}
