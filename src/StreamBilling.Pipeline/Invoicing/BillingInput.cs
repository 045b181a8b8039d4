using System.Text.Json.Serialization;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// What the invoice processor takes: a priced line (<see cref="PricedLineInput"/>) or one Elastic IP event
/// (<see cref="ElasticIpInput"/>). Priced lines and Elastic IP events come from different topics keyed by account; both
/// are merged into one stream so one task sees every input of its customers. In JSON (late records) it keeps the shape
/// it had as a pair of nullables: <c>{"line":…,"elasticIp":null}</c> or <c>{"line":null,"elasticIp":…}</c>.
/// </summary>
[JsonConverter(typeof(BillingInputJsonConverter))]
internal abstract record BillingInput
{
    /// <summary>The account the input bills (the key it must have).</summary>
    public abstract string AccountId { get; }
}

/// <summary>A priced line for the invoices.</summary>
internal sealed record PricedLineInput(LineEntry Line) : BillingInput
{
    /// <inheritdoc />
    public override string AccountId => Line.CustomerId;
}

/// <summary>One end of an Elastic IP allocation or association for the invoices.</summary>
internal sealed record ElasticIpInput(ElasticIpEvent Event) : BillingInput
{
    /// <inheritdoc />
    public override string AccountId => Event.AccountId;
}
