using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>The pricing and invoice topologies in test drivers with real Avro serdes; priced lines are handed from one to the other by the test.</summary>
internal sealed class BillingDriver : IDisposable
{
    public static readonly RateCard Card = RateCard.FromInstanceRates(
        [new RateCardEntry("t3.small", "us-east-1", 0.0209m, 0.0150m), new RateCardEntry("t3.micro", "us-east-1", 0.0104m, null)],
        [new FreeTierEligibility("us-east-1", "t3.micro")],
        [new ElasticIpRate("us-east-1", 0.005m)]);

    private readonly TestInputTopic<string, UsageSegment> _segments;
    private readonly TestInputTopic<string, ReservedInstancePurchased> _purchases;
    private readonly TestOutputTopic<string, PricedLineItem> _priced;
    private TestInputTopic<string, PricedLineItem> _lines = null!;
    private TestInputTopic<string, ElasticIpAllocated> _allocated = null!;
    private TestInputTopic<string, ElasticIpReleased> _released = null!;
    private TestInputTopic<string, ElasticIpAssociated> _associated = null!;
    private TestInputTopic<string, ElasticIpDisassociated> _disassociated = null!;
    private TestOutputTopic<string, Invoice> _invoices = null!;
    private TestOutputTopic<byte[], Streams.RejectedRecord> _late = null!;

    public BillingDriver(TimeSpan? monthCloseGrace = null, TimeSpan? closedMonthRetention = null)
    {
        var defaults = new InvoiceOptions { RateCard = Card };
        Serdes = new AvroSerdes(Registry);
        Pricing = new TopologyTestDriver(PricingTopology.Build(Serdes, new PricingOptions { RateCard = Card }));
        _segments = Pricing.CreateInputTopic(Topics.UsageSegments, Streams.Serdes.Utf8, Serdes.For<UsageSegment>());
        _purchases = Pricing.CreateInputTopic(Topics.ReservedInstancePurchased, Streams.Serdes.Utf8, Serdes.For<ReservedInstancePurchased>());
        _priced = Pricing.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, Serdes.For<PricedLineItem>());
        InvoiceOptions = new InvoiceOptions
        {
            RateCard = Card,
            MonthCloseGrace = monthCloseGrace,
            ClosedMonthRetention = closedMonthRetention ?? defaults.ClosedMonthRetention,
            CustomerNames = new Dictionary<string, string> { ["CUST001"] = "ABC Corporation" },
        };
        Invoicing = StartInvoicing();
    }

    public InMemorySchemaRegistryClient Registry { get; } = new();

    public AvroSerdes Serdes { get; }

    public TopologyTestDriver Pricing { get; }

    public TopologyTestDriver Invoicing { get; private set; }

    public InvoiceOptions InvoiceOptions { get; }

    /// <summary>Every invoice record read so far.</summary>
    public List<TestRecord<string, Invoice>> Invoices { get; } = [];

    /// <summary>Prices a slice and returns its lines.</summary>
    public IReadOnlyList<TestRecord<string, PricedLineItem>> Price(UsageSegment segment)
    {
        _segments.PipeInput(segment.accountId, segment, new DateTimeOffset(segment.segmentStart, TimeSpan.Zero));
        return _priced.ReadRecordsToList();
    }

    public IReadOnlyList<TestRecord<string, PricedLineItem>> Price(ReservedInstancePurchased purchase)
    {
        _purchases.PipeInput(purchase.accountId, purchase, new DateTimeOffset(purchase.eventTime, TimeSpan.Zero));
        return _priced.ReadRecordsToList();
    }

    /// <summary>Feeds priced lines to the invoice topology and returns the invoices they caused.</summary>
    public IReadOnlyList<Invoice> Bill(IEnumerable<TestRecord<string, PricedLineItem>> lines)
    {
        foreach (var line in lines)
        {
            _lines.PipeInput(line.Key, line.Value, line.Timestamp);
        }

        return ReadInvoices();
    }

    private List<Invoice> Pipe<T>(TestInputTopic<string, T> topic, string key, T value, DateTime time)
    {
        topic.PipeInput(key, value, new DateTimeOffset(time, TimeSpan.Zero));
        return ReadInvoices();
    }

    private List<Invoice> ReadInvoices()
    {
        var records = _invoices.ReadRecordsToList();
        Invoices.AddRange(records);
        return [.. records.Select(r => r.Value)];
    }

    /// <summary>Feeds an Elastic IP event (at its event time, keyed by account) and returns the invoices it caused.</summary>
    public IReadOnlyList<Invoice> Bill(ElasticIpAllocated e) => Pipe(_allocated, e.accountId, e, e.eventTime);

    public IReadOnlyList<Invoice> Bill(ElasticIpReleased e) => Pipe(_released, e.accountId, e, e.eventTime);

    public IReadOnlyList<Invoice> Bill(ElasticIpAssociated e) => Pipe(_associated, e.accountId, e, e.eventTime);

    public IReadOnlyList<Invoice> Bill(ElasticIpDisassociated e) => Pipe(_disassociated, e.accountId, e, e.eventTime);

    /// <summary>Inputs the invoice topology sent to its late-records topic since the last call, with their reasons.</summary>
    public IReadOnlyList<(BillingInput Input, string? Reason)> LateInputs() =>
        [.. _late.ReadLate(Streams.Serdes.Json<BillingInput>()).Select(r => (r.Value, (string?)r.Reason))];

    /// <summary>Values of the records on the invoice topology's late-records topic since the last read (the original input bytes).</summary>
    public IReadOnlyList<byte[]> LateValues() => [.. _late.ReadRecordsToList().Select(r => r.Value.Value!)];

    /// <summary>The invoice entry store's entries (key <c>account|L|lineId</c>, <c>account|A|allocationId</c>, ...).</summary>
    public IReadOnlyDictionary<string, LedgerEntry> Entries() =>
        Invoicing.GetKeyValueStore<string, LedgerEntry>(InvoiceTopology.EntryStore).All().ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>A customer's bookkeeping in the invoice customer store.</summary>
    public CustomerInvoices Customer(string customer = "CUST001") =>
        Invoicing.GetKeyValueStore<string, CustomerInvoices>(InvoiceTopology.CustomerStore).TryGet(customer, out var state) ? state : throw new KeyNotFoundException(customer);

    /// <summary>What a compacted topic keeps: the latest invoice per record id.</summary>
    public IReadOnlyDictionary<string, Invoice> Latest() =>
        Invoices.GroupBy(r => r.Id!).ToDictionary(g => g.Last().Value.invoiceId, g => g.Last().Value, StringComparer.Ordinal);

    /// <summary>Moves the invoice application's wall clock on with no input, firing its wall-clock punctuation; the invoices it caused.</summary>
    public IReadOnlyList<Invoice> AdvanceInvoicingWallClock(TimeSpan advance)
    {
        Invoicing.AdvanceWallClockTime(advance);
        return ReadInvoices();
    }

    /// <summary>Simulates a restart of the invoice application: a new driver restores both stores from the changelogs.</summary>
    public void RestartInvoicing()
    {
        var entries = Invoicing.GetChangelog(InvoiceTopology.EntryStore);
        var customers = Invoicing.GetChangelog(InvoiceTopology.CustomerStore);
        Invoicing.Dispose();
        Invoicing = StartInvoicing();
        Invoicing.RestoreStore(InvoiceTopology.EntryStore, entries);
        Invoicing.RestoreStore(InvoiceTopology.CustomerStore, customers);
    }

    /// <summary>A fresh invoice application whose stores are restored from the given changelog records.</summary>
    public void RestoreInvoicing(IEnumerable<Streams.ChangelogRecord> entries, IEnumerable<Streams.ChangelogRecord> customers)
    {
        Invoicing.Dispose();
        Invoicing = StartInvoicing();
        Invoicing.RestoreStore(InvoiceTopology.EntryStore, entries);
        Invoicing.RestoreStore(InvoiceTopology.CustomerStore, customers);
    }

    public void Dispose()
    {
        Pricing.Dispose();
        Invoicing.Dispose();
    }

    public static UsageSegment Slice(string session, string instance, string sessionStart, string from, string until, string account = "CUST001", string type = "t3.small") => new()
    {
        eventId = Streams.DeterministicId.FromParts("test-segment", session, from),
        source = "test",
        accountId = account,
        sessionId = session,
        instanceId = instance,
        instanceType = type,
        region = "us-east-1",
        role = "Admin",
        os = OperatingSystemType.Linux,
        purchaseOption = PurchaseOption.OnDemand,
        sessionStart = T.Utc(sessionStart),
        sessionEnd = T.Utc(until),
        segmentStart = T.Utc(from),
        segmentEnd = T.Utc(until),
        isFinal = true,
        sourceEventIds = [session + "-launch", session + "-terminate"],
    };

    public static decimal Money(Avro.AvroDecimal value) => Avro.AvroDecimal.ToDecimal(value);

    public static BillingMonth Month(string month) => BillingMonth.Parse(month);

    private TopologyTestDriver StartInvoicing()
    {
        var driver = new TopologyTestDriver(InvoiceTopology.Build(Serdes, InvoiceOptions));
        _lines = driver.CreateInputTopic(Topics.PricedLines, Streams.Serdes.Utf8, Serdes.For<PricedLineItem>());
        _allocated = driver.CreateInputTopic(Topics.ElasticIpAllocated, Streams.Serdes.Utf8, Serdes.For<ElasticIpAllocated>());
        _released = driver.CreateInputTopic(Topics.ElasticIpReleased, Streams.Serdes.Utf8, Serdes.For<ElasticIpReleased>());
        _associated = driver.CreateInputTopic(Topics.ElasticIpAssociated, Streams.Serdes.Utf8, Serdes.For<ElasticIpAssociated>());
        _disassociated = driver.CreateInputTopic(Topics.ElasticIpDisassociated, Streams.Serdes.Utf8, Serdes.For<ElasticIpDisassociated>());
        _invoices = driver.CreateOutputTopic(Topics.Invoices, Streams.Serdes.Utf8, Serdes.For<Invoice>());
        _late = driver.CreateLateRecordsTopic();
        return driver;
    }
}
