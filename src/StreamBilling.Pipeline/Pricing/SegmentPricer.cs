using System.Globalization;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// Prices each <see cref="UsageSegment"/> slice with <see cref="UsagePricer.PriceInstance"/>. Line ids come from the
/// segment id and the line's position, so a re-sent slice prices to the same ids (sinks upsert) and a newer version of a
/// slice (a late terminate shortens or voids it) replaces its lines. When a newer version has fewer lines than the one
/// before (a rate change inside the slice no longer falls in it), the lines it no longer has are retracted under their
/// ids. Only segments that priced to more than one line are remembered: a version always has at least one line.
/// </summary>
internal sealed class SegmentPricer(PricingOptions options, UsagePricer pricer, ISerde<UsageSegment> segmentSerde) : IProcessor<string, UsageSegment>
{
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, int> _lineCounts = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _lineCounts = context.GetStateStore<IKeyValueStore<string, int>>(options.StoreName);
    }

    public void Process(Record<string, UsageSegment> record)
    {
        var segment = record.Value;
        if (segment.purchaseOption == PurchaseOption.Reserved)
        {
            // A reserved instance is billed by its purchase (every hour of the term), not by its running time.
            return;
        }

        IReadOnlyList<PricedLine> lines;
        try
        {
            lines = pricer.PriceInstance(UsageOf(segment));
        }
        catch (RateCardException e)
        {
            // Never dropped silently: a slice the rate card cannot price goes to the late-records topic with the reason.
            _context.SendToLateRecords(record, "no-rate: " + e.Message, Serdes.Utf8, segmentSerde);
            return;
        }

        var items = new List<PricedLineItem>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            items.Add(PricedLineItems.ToRecord(lines[i], LineId(segment.eventId, i), options.Source, segment.role));
        }

        foreach (var item in items)
        {
            _context.Forward(new Record<string, PricedLineItem>(segment.accountId, item, record.Timestamp) { Id = item.eventId });
        }

        var before = _lineCounts.TryGet(segment.eventId, out var count) ? count : 1;
        for (var i = items.Count; i < before; i++)
        {
            var retraction = PricedLineItems.Retraction(items[0], options.Source);
            retraction.eventId = LineId(segment.eventId, i);
            _context.Forward(new Record<string, PricedLineItem>(segment.accountId, retraction, record.Timestamp) { Id = retraction.eventId });
        }

        if (items.Count > 1)
        {
            _lineCounts.Put(segment.eventId, items.Count);
        }
        else if (before > 1)
        {
            _lineCounts.Delete(segment.eventId);
        }
    }

    public void Close()
    {
    }

    /// <summary>Id of the <paramref name="index"/>-th line priced from the segment <paramref name="segmentId"/>.</summary>
    internal static string LineId(string segmentId, int index) =>
        DeterministicId.FromParts("priced-line", segmentId, index.ToString(CultureInfo.InvariantCulture));

    private static InstanceUsage UsageOf(UsageSegment segment) => new(
        [.. segment.sourceEventIds],
        segment.accountId,
        segment.instanceId,
        segment.instanceType,
        segment.region,
        WireEnums.ToDomain(segment.os),
        segment.purchaseOption == PurchaseOption.Spot ? Billing.Pricing.Spot : Billing.Pricing.OnDemand,
        AvroTime.From(segment.sessionStart),
        AvroTime.From(segment.segmentStart),
        AvroTime.From(segment.segmentEnd));
}
