using System.Numerics;
using Avro;
using StreamBilling.Billing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// Conversions between the bill engine's <see cref="PricedLine"/> and the <see cref="PricedLineItem"/> Avro record. Only
/// copying: every figure (quantity, rate, amount, free-tier facts) is the library's.
/// </summary>
public static class PricedLineItems
{
    /// <summary>Scale of per-unit rates: decimal(24,12).</summary>
    private const int RateScale = 12;

    /// <summary>The Avro record of <paramref name="line"/> under the stream's id <paramref name="eventId"/>.</summary>
    public static PricedLineItem ToRecord(PricedLine line, string eventId, string source, string? role)
    {
        ArgumentNullException.ThrowIfNull(line);
        var instance = line.Instance;
        return new PricedLineItem
        {
            eventId = eventId,
            source = source,
            accountId = line.CustomerId,
            service = WireEnums.ToWire(line.Service),
            region = line.Region,
            role = instance is null ? null : role,
            resourceId = line.ResourceId,
            usageType = line.UsageType,
            billingMonth = line.Month.ToString(),
            usageStart = AvroTime.To(line.UsageStart),
            usageEnd = AvroTime.To(line.UsageEnd),
            instanceType = instance?.InstanceType,
            os = instance is null ? null : WireEnums.ToWire(instance.Os),
            usedSeconds = instance is null ? 0 : instance.UsedTime.Ticks / TimeSpan.TicksPerSecond,
            quantity = AvroDecimals.Quantity(line.Quantity),
            unit = line.Unit,
            rate = Rate(line.Rate),
            amount = AvroDecimals.Money(line.Amount),
            currency = line.Currency,
            rateCardVersion = line.RateCardVersion,
            sourceEventIds = [.. line.SourceEventIds],
            purchaseOption = instance is null ? null : WireEnums.ToWire(instance.Pricing),
            pieceStart = instance is null ? null : AvroTime.To(instance.PieceStart),
            freeTierEligible = instance?.FreeTierEligible,
            isRetraction = false,
            billedSeconds = instance?.BilledSeconds,
            isVolumeTierCorrection = line.IsVolumeTierCorrection,
        };
    }

    /// <summary>
    /// The record that withdraws <paramref name="previous"/> (a newer version of its usage no longer has it):
    /// same id, nothing to bill, <c>isRetraction</c> set.
    /// </summary>
    public static PricedLineItem Retraction(PricedLineItem previous, string source)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new PricedLineItem
        {
            eventId = previous.eventId,
            source = source,
            accountId = previous.accountId,
            service = previous.service,
            region = previous.region,
            role = previous.role,
            resourceId = previous.resourceId,
            usageType = previous.usageType,
            billingMonth = previous.billingMonth,
            usageStart = previous.usageStart,
            usageEnd = previous.usageStart,
            instanceType = previous.instanceType,
            os = previous.os,
            usedSeconds = 0,
            quantity = AvroDecimals.Quantity(0m),
            unit = previous.unit,
            rate = previous.rate,
            amount = AvroDecimals.Money(0m),
            currency = previous.currency,
            rateCardVersion = previous.rateCardVersion,
            sourceEventIds = previous.sourceEventIds,
            purchaseOption = previous.purchaseOption,
            pieceStart = previous.pieceStart,
            freeTierEligible = previous.freeTierEligible,
            isRetraction = true,
            billedSeconds = previous.billedSeconds is null ? null : 0,
            isVolumeTierCorrection = previous.isVolumeTierCorrection,
        };
    }

    /// <summary>The bill engine's line from the record (the invoice side); not for retractions.</summary>
    public static PricedLine ToLine(PricedLineItem record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var start = AvroTime.From(record.usageStart);
        var end = AvroTime.From(record.usageEnd);
        InstanceLineDetail? instance = null;
        if (record.instanceType is not null)
        {
            var pricing = record.purchaseOption is { } option ? WireEnums.ToDomain(option)
                : record.service == ServiceKind.ReservedInstance ? Billing.Pricing.Reserved : Billing.Pricing.OnDemand;
            instance = new InstanceLineDetail(
                record.instanceType,
                record.os is { } os ? WireEnums.ToDomain(os) : InstanceOs.Linux,
                pricing,
                TimeSpan.FromSeconds(record.usedSeconds),
                record.pieceStart is { } piece ? AvroTime.From(piece) : start,
                record.freeTierEligible ?? false)
            {
                BilledSeconds = record.billedSeconds,
            };
        }

        return new PricedLine
        {
            SourceEventIds = [.. record.sourceEventIds],
            CustomerId = record.accountId,
            Service = WireEnums.ToDomain(record.service),
            Region = record.region,
            ResourceId = record.resourceId,
            UsageType = record.usageType,
            Month = BillingMonth.Parse(record.billingMonth),
            UsageStart = start,
            UsageEnd = end,
            Quantity = AvroDecimals.ToDecimal(record.quantity),
            Unit = record.unit,
            Rate = AvroDecimals.ToDecimal(record.rate),
            Currency = record.currency,
            RateCardVersion = record.rateCardVersion,
            Instance = instance,
            IsVolumeTierCorrection = record.isVolumeTierCorrection,
        };
    }

    /// <summary>A per-unit rate at the schema's scale of 12.</summary>
    internal static AvroDecimal Rate(decimal value) =>
        new(new BigInteger(decimal.Round(value * 1_000_000_000_000m, MidpointRounding.AwayFromZero)), RateScale);
}
