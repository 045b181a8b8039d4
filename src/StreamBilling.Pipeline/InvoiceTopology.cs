using StreamBilling.Contracts;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Invoicing;

using StreamBilling.Pipeline.Telemetry;

namespace StreamBilling.Pipeline;

/// <summary>
/// Invoices: <see cref="Topics.PricedLines"/> and the Elastic IP topics (allocated, released, associated,
/// disassociated), all keyed by account and co-partitioned → <see cref="Topics.Invoices"/>
/// (<see cref="Invoice"/>, key invoiceId <c>CUSTID/yyyy-MM</c>): month-to-date invoices on every change, final ones when
/// stream time passes month end + <see cref="InvoiceOptions.MonthCloseGrace"/>; all bill rules are the bill engine's
/// <see cref="Billing.Invoicing.InvoiceAssembler"/>. See <c>docs/pipeline.md</c>.
/// </summary>
public static class InvoiceTopology
{
    /// <summary>Store of every input of every customer (priced lines, Elastic IP allocations and associations).</summary>
    public const string EntryStore = "invoice-entries";

    /// <summary>Store of each customer's closed months and invoice revisions.</summary>
    public const string CustomerStore = "invoice-customers";

    /// <summary>Builds the topology.</summary>
    public static Topology Build(AvroSerdes serdes, InvoiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordSerde = serdes.LateRecords };
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(EntryStore, Serdes.Utf8, PipelineJson.Serde<LedgerEntry>())
            : Stores.InMemoryKeyValue(EntryStore, Serdes.Utf8, PipelineJson.Serde<LedgerEntry>()));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(CustomerStore, Serdes.Utf8, PipelineJson.Serde<CustomerInvoices>())
            : Stores.InMemoryKeyValue(CustomerStore, Serdes.Utf8, PipelineJson.Serde<CustomerInvoices>()));

        // Priced lines and Elastic IP events are all keyed by account over the same number of partitions, so one task
        // sees every input of its customers without a repartition topic.
        var allocated = builder.Stream(Topics.ElasticIpAllocated, Serdes.Utf8, serdes.For<ElasticIpAllocated>()).CountingUsage(Topics.ElasticIpAllocated)
            .MapValues(e => (BillingInput)new ElasticIpInput(ElasticIpEvent.From(e)));
        var released = builder.Stream(Topics.ElasticIpReleased, Serdes.Utf8, serdes.For<ElasticIpReleased>()).CountingUsage(Topics.ElasticIpReleased)
            .MapValues(e => (BillingInput)new ElasticIpInput(ElasticIpEvent.From(e)));
        var associated = builder.Stream(Topics.ElasticIpAssociated, Serdes.Utf8, serdes.For<ElasticIpAssociated>()).CountingUsage(Topics.ElasticIpAssociated)
            .MapValues(e => (BillingInput)new ElasticIpInput(ElasticIpEvent.From(e)));
        var disassociated = builder.Stream(Topics.ElasticIpDisassociated, Serdes.Utf8, serdes.For<ElasticIpDisassociated>()).CountingUsage(Topics.ElasticIpDisassociated)
            .MapValues(e => (BillingInput)new ElasticIpInput(ElasticIpEvent.From(e)));
        builder.Stream(Topics.PricedLines, Serdes.Utf8, serdes.For<PricedLineItem>())
            .MapValues(line => (BillingInput)new PricedLineInput(LineEntry.From(line)))
            .Merge(allocated)
            .Merge(released)
            .Merge(associated)
            .Merge(disassociated)
            .Process<string, Invoice>(() => new InvoiceProcessor(options, EntryStore, CustomerStore), [EntryStore, CustomerStore], "invoice-assembler")
            .To(Topics.Invoices, Serdes.Utf8, serdes.For<Invoice>());
        return builder.Build();
    }
}
