using StreamBilling.Contracts;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline;

/// <summary>
/// BillingConsumer: <see cref="Topics.PricedLines"/> and the Elastic IP topics (allocated, released, associated,
/// disassociated), repartitioned by account (their partition counts differ) → <see cref="Topics.Invoices"/>
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
        var builder = new StreamsBuilder(options.ApplicationId);
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue<string, InvoiceEntry>(EntryStore)
            : Stores.InMemoryKeyValue<string, InvoiceEntry>(EntryStore));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue<string, CustomerInvoices>(CustomerStore)
            : Stores.InMemoryKeyValue<string, CustomerInvoices>(CustomerStore));

        // Priced lines (12 partitions) and Elastic IP events (6) cannot share a task: each stream is written to one
        // repartition topic keyed by account, and the assembler reads that.
        var inputs = $"{options.ApplicationId}-inputs-repartition";
        var inputSerde = Serdes.Json<BillingInput>();
        builder.Stream(Topics.ElasticIpAllocated, Serdes.Utf8, serdes.For<ElasticIpAllocated>())
            .Map((_, e) => (e.accountId, new BillingInput(null, ElasticIpEvent.From(e))))
            .To(inputs, Serdes.Utf8, inputSerde);
        builder.Stream(Topics.ElasticIpReleased, Serdes.Utf8, serdes.For<ElasticIpReleased>())
            .Map((_, e) => (e.accountId, new BillingInput(null, ElasticIpEvent.From(e))))
            .To(inputs, Serdes.Utf8, inputSerde);
        builder.Stream(Topics.ElasticIpAssociated, Serdes.Utf8, serdes.For<ElasticIpAssociated>())
            .Map((_, e) => (e.accountId, new BillingInput(null, ElasticIpEvent.From(e))))
            .To(inputs, Serdes.Utf8, inputSerde);
        builder.Stream(Topics.ElasticIpDisassociated, Serdes.Utf8, serdes.For<ElasticIpDisassociated>())
            .Map((_, e) => (e.accountId, new BillingInput(null, ElasticIpEvent.From(e))))
            .To(inputs, Serdes.Utf8, inputSerde);
        builder.Stream(Topics.PricedLines, Serdes.Utf8, serdes.For<PricedLineItem>())
            .Map((_, line) => (line.accountId, new BillingInput(LineEntry.From(line), null)))
            .Repartition(inputs, Serdes.Utf8, inputSerde)
            .Process<string, Invoice>(() => new InvoiceProcessor(options, EntryStore, CustomerStore), [EntryStore, CustomerStore], "invoice-assembler")
            .To(Topics.Invoices, Serdes.Utf8, serdes.For<Invoice>());
        return builder.Build();
    }
}
