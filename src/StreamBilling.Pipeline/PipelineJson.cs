using System.Text.Json;
using System.Text.Json.Serialization;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Pipeline.Sessions;

namespace StreamBilling.Pipeline;

/// <summary>
/// Compile-time JSON metadata for the topologies' internal state and late records (web defaults: camelCase), so stores
/// serialize without reflection; the JSON is the same as System.Text.Json's reflection-based output with those options.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InstanceState))]
[JsonSerializable(typeof(InstanceEvent))]
[JsonSerializable(typeof(CustomerUsage))]
[JsonSerializable(typeof(CdnMonthToDate))]
[JsonSerializable(typeof(MediaRun))]
[JsonSerializable(typeof(MediaEdge))]
[JsonSerializable(typeof(RollupTotals))]
[JsonSerializable(typeof(RollupContribution))]
[JsonSerializable(typeof(LedgerEntry))]
[JsonSerializable(typeof(CustomerInvoices))]
[JsonSerializable(typeof(BillingInput))]
[JsonSerializable(typeof(LineEntry))]
[JsonSerializable(typeof(ElasticIpEvent))]
[JsonSerializable(typeof(InvoiceDocument))]
[JsonSerializable(typeof(IReadOnlyList<InvoiceDocumentLine>))]
internal sealed partial class PipelineJson : JsonSerializerContext
{
    /// <summary>A JSON serde of <typeparamref name="T"/> over this context's metadata.</summary>
    public static ISerde<T> Serde<T>() => Serdes.Json<T>(Default.Options);
}
