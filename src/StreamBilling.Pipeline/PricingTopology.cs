using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.DynamoDb;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Events.S3;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Telemetry;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline;

/// <summary>
/// Pricing: usage → <see cref="Topics.PricedLines"/> (<see cref="PricedLineItem"/>, key accountId), priced only by
/// the bill engine's <see cref="UsagePricer"/> over <see cref="PricingOptions.RateCard"/>. Sources: instance session slices
/// (<see cref="Topics.UsageSegments"/>), reserved-instance purchases, S3 bucket usage and DynamoDB table usage; each is its
/// own sub-topology (no repartition). Every line carries the eventIds it came from and a deterministic id. See
/// <c>docs/pipeline.md</c>.
/// </summary>
public static class PricingTopology
{
    /// <summary>Builds the topology.</summary>
    public static Topology Build(AvroSerdes serdes, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var pricer = new UsagePricer(options.RateCard);
        var builder = new StreamsBuilder(options.ApplicationId) { LateRecordSerde = serdes.LateRecords };
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue<string, int>(options.StoreName, Serdes.Utf8, Serdes.BigEndianInt32)
            : Stores.InMemoryKeyValue<string, int>(options.StoreName, Serdes.Utf8, Serdes.BigEndianInt32));
        builder.AddStateStore(options.PersistentStores
            ? Stores.RocksDbKeyValue(options.CdnStoreName, Serdes.Utf8, PipelineJson.Serde<CdnMonthToDate>())
            : Stores.InMemoryKeyValue(options.CdnStoreName, Serdes.Utf8, PipelineJson.Serde<CdnMonthToDate>()));
        foreach (var store in new[] { options.MediaLiveStoreName, options.MediaConvertStoreName })
        {
            builder.AddStateStore(options.PersistentStores
                ? Stores.RocksDbKeyValue(store, Serdes.Utf8, PipelineJson.Serde<MediaRun>())
                : Stores.InMemoryKeyValue(store, Serdes.Utf8, PipelineJson.Serde<MediaRun>()));
        }

        var lineSerde = serdes.For<PricedLineItem>();

        var segmentSerde = serdes.For<UsageSegment>();
        builder.Stream(Topics.UsageSegments, Serdes.Utf8, segmentSerde)
            .Process<string, PricedLineItem>(() => new SegmentPricer(options, pricer, segmentSerde), [options.StoreName], "price-segments")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        var purchaseSerde = serdes.For<ReservedInstancePurchased>();
        builder.Stream(Topics.ReservedInstancePurchased, Serdes.Utf8, purchaseSerde).CountingUsage(Topics.ReservedInstancePurchased)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<ReservedInstancePurchased>(p => PriceReservation(pricer, p, options.Source), purchaseSerde), name: "price-reservations")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        var bucketSerde = serdes.For<BucketUsage>();
        builder.Stream(Topics.S3BucketUsage, Serdes.Utf8, bucketSerde).CountingUsage(Topics.S3BucketUsage)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<BucketUsage>(u => PriceBucket(pricer, u, options.Source), bucketSerde), name: "price-s3")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        var tableSerde = serdes.For<TableUsage>();
        builder.Stream(Topics.DynamoDbTableUsage, Serdes.Utf8, tableSerde).CountingUsage(Topics.DynamoDbTableUsage)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<TableUsage>(u => PriceTable(pricer, u, options.Source), tableSerde), name: "price-dynamodb")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        // CDN: only Cost Explorer's figures are billed (CloudWatch samples are near-real-time estimates for the caps).
        var trafficSerde = serdes.For<CdnTraffic>();
        builder.Stream(Topics.CdnCostExplorer, Serdes.Utf8, trafficSerde).CountingUsage(Topics.CdnCostExplorer)
            .Process<string, PricedLineItem>(() => new CdnTrafficPricer(options, pricer, trafficSerde), [options.CdnStoreName], "price-cdn")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        // Media services measured per period: per-GB rates (docs/billing-rules.md, Pricing).
        var packageSerde = serdes.For<MediaPackageEgress>();
        builder.Stream(Topics.MediaPackageEgress, Serdes.Utf8, packageSerde).CountingUsage(Topics.MediaPackageEgress)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<MediaPackageEgress>(u => PricePackage(pricer, u, options.Source), packageSerde), name: "price-mediapackage")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);
        var breakoutSerde = serdes.For<CloudFrontEgress>();
        builder.Stream(Topics.CloudFrontEgress, Serdes.Utf8, breakoutSerde).CountingUsage(Topics.CloudFrontEgress)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<CloudFrontEgress>(u => PriceBreakout(pricer, u, options.Source), breakoutSerde), name: "price-cloudfront")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);
        var recordingSerde = serdes.For<RecordingStored>();
        builder.Stream(Topics.RecordingStored, Serdes.Utf8, recordingSerde).CountingUsage(Topics.RecordingStored)
            .Process<string, PricedLineItem>(() => new UsagePricingProcessor<RecordingStored>(u => PriceRecording(pricer, u, options.Source), recordingSerde), name: "price-recordings")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);

        // Media services billed by running time: start and end paired by channel (or job) id in the medialive-runs and mediaconvert-runs stores.
        var channelStops = builder.Stream(Topics.MediaLiveChannelStopped, Serdes.Utf8, serdes.For<MediaLiveChannelStopped>()).CountingUsage(Topics.MediaLiveChannelStopped)
            .MapValues(e => new MediaEdge(false, e.eventId, e.accountId, e.region, AvroTime.From(e.eventTime), e.inputCount, e.outputCount));
        builder.Stream(Topics.MediaLiveChannelStarted, Serdes.Utf8, serdes.For<MediaLiveChannelStarted>()).CountingUsage(Topics.MediaLiveChannelStarted)
            .MapValues(e => new MediaEdge(true, e.eventId, e.accountId, e.region, AvroTime.From(e.eventTime), e.inputCount, e.outputCount))
            .Merge(channelStops)
            .Process<string, PricedLineItem>(() => new MediaRunPricer(options, options.MediaLiveStoreName, "medialive", (channel, start, stop) => PriceChannel(pricer, channel, start, stop)), [options.MediaLiveStoreName], "price-medialive")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);
        var jobEnds = builder.Stream(Topics.MediaConvertJobFinished, Serdes.Utf8, serdes.For<MediaConvertJobFinished>()).CountingUsage(Topics.MediaConvertJobFinished)
            .MapValues(e => new MediaEdge(false, e.eventId, e.accountId, e.region, AvroTime.From(e.eventTime), 0, 0));
        builder.Stream(Topics.MediaConvertJobStarted, Serdes.Utf8, serdes.For<MediaConvertJobStarted>()).CountingUsage(Topics.MediaConvertJobStarted)
            .MapValues(e => new MediaEdge(true, e.eventId, e.accountId, e.region, AvroTime.From(e.eventTime), 0, 0))
            .Merge(jobEnds)
            .Process<string, PricedLineItem>(() => new MediaRunPricer(options, options.MediaConvertStoreName, "mediaconvert", (job, start, end) => PriceJob(pricer, job, start, end)), [options.MediaConvertStoreName], "price-mediaconvert")
            .CountingPricedLines()
            .To(Topics.PricedLines, Serdes.Utf8, lineSerde);
        return builder.Build();
    }

    /// <summary>A purchase's term: from the month of <c>termStart</c> to the month before <c>termEnd</c> (exclusive end).</summary>
    internal static ReservedInstanceTerm TermOf(ReservedInstancePurchased purchase) => new(
        [purchase.eventId],
        purchase.accountId,
        purchase.instanceId,
        purchase.instanceType,
        purchase.region,
        WireEnums.ToDomain(purchase.os),
        BillingMonth.Of(AvroTime.From(purchase.termStart)),
        BillingMonth.Of(AvroTime.From(purchase.termEnd) - TimeSpan.FromTicks(1)));

    private static IEnumerable<PricedLineItem> PriceReservation(UsagePricer pricer, ReservedInstancePurchased purchase, string source) =>
        pricer.PriceReservation(TermOf(purchase))
            .Select(line => PricedLineItems.ToRecord(line, DeterministicId.FromParts("priced-line", purchase.eventId, line.Month.ToString()), source, role: null));

    private static List<PricedLineItem> PriceBucket(UsagePricer pricer, BucketUsage usage, string source)
    {
        var from = AvroTime.From(usage.periodStart);
        var until = AvroTime.From(usage.periodEnd);
        var measured = new (string UsageType, decimal Quantity)[]
        {
            (UsageTypes.S3Storage, AvroDecimals.ToDecimal(usage.storedGbHours)),
            (UsageTypes.S3WriteRequests, usage.putRequests),
            (UsageTypes.S3ReadRequests, usage.getRequests),
            (UsageTypes.S3DataTransferOut, AvroDecimals.ToDecimal(usage.readGb)),
            (UsageTypes.S3DataTransferIn, AvroDecimals.ToDecimal(usage.writtenGb)),
        };
        return Metered(pricer, source, usage.eventId, measured, m =>
            new MeteredUsage([usage.eventId], usage.accountId, BillableService.S3, m.UsageType, usage.region, usage.bucket, from, until, m.Quantity));
    }

    private static List<PricedLineItem> PriceTable(UsagePricer pricer, TableUsage usage, string source)
    {
        var from = AvroTime.From(usage.periodStart);
        var until = AvroTime.From(usage.periodEnd);
        var measured = new (string UsageType, decimal Quantity)[]
        {
            (UsageTypes.DynamoDbReads, usage.readRequestUnits),
            (UsageTypes.DynamoDbWrites, usage.writeRequestUnits),
        };
        return Metered(pricer, source, usage.eventId, measured, m =>
            new MeteredUsage([usage.eventId], usage.accountId, BillableService.DynamoDb, m.UsageType, usage.region, usage.tableName, from, until, m.Quantity));
    }

    private static List<PricedLineItem> PricePackage(UsagePricer pricer, MediaPackageEgress usage, string source) =>
        Metered(pricer, source, usage.eventId, [(UsageTypes.MediaPackageEgress, MeteredQuantity.Gigabytes(usage.bytesDownloaded))], m =>
            new MeteredUsage([usage.eventId], usage.accountId, BillableService.MediaPackage, m.UsageType, usage.region, usage.channelId, AvroTime.From(usage.periodStart), AvroTime.From(usage.periodEnd), m.Quantity));

    private static List<PricedLineItem> PriceBreakout(UsagePricer pricer, CloudFrontEgress usage, string source) =>
        Metered(pricer, source, usage.eventId, [(UsageTypes.CloudFrontEgress, MeteredQuantity.Gigabytes(usage.bytes))], m =>
            new MeteredUsage([usage.eventId], usage.accountId, BillableService.CloudFront, m.UsageType, usage.region, usage.distributionId, AvroTime.From(usage.periodStart), AvroTime.From(usage.periodEnd), m.Quantity));

    /// <summary>A recording: its size in GB at the storage rate, once, in the month it was stored.</summary>
    private static List<PricedLineItem> PriceRecording(UsagePricer pricer, RecordingStored recording, string source)
    {
        var at = AvroTime.From(recording.eventTime);
        return Metered(pricer, source, recording.eventId, [(UsageTypes.RecordingStorage, MeteredQuantity.Gigabytes(recording.sizeBytes))], m =>
            new MeteredUsage([recording.eventId], recording.accountId, BillableService.S3Recording, m.UsageType, recording.region, recording.recordingId, at, at, m.Quantity));
    }

    /// <summary>A MediaLive run: started hours times inputs and times outputs (<see cref="UsagePricer.PriceChannel"/>).</summary>
    private static IReadOnlyList<PricedLine> PriceChannel(UsagePricer pricer, string channel, MediaEdge start, MediaEdge stop) =>
        pricer.PriceChannel(new ChannelUsage([start.EventId, stop.EventId], start.AccountId, channel, start.Region, start.Time, start.Time, stop.Time, start.InputCount, start.OutputCount));

    /// <summary>A MediaConvert job: its running minutes from start to finish (the time between the job's create and its last update), whatever its outcome.</summary>
    private static IReadOnlyList<PricedLine> PriceJob(UsagePricer pricer, string job, MediaEdge start, MediaEdge end) =>
        pricer.PriceMetered(new MeteredUsage(
            [start.EventId, end.EventId], start.AccountId, BillableService.MediaConvert, UsageTypes.MediaConvertMinutes, start.Region, job, start.Time, end.Time,
            MeteredQuantity.Minutes(end.Time - start.Time)));

    /// <summary>Prices every non-zero measure; line ids from the event, the usage type and the line's position.</summary>
    private static List<PricedLineItem> Metered(
        UsagePricer pricer, string source, string eventId, IEnumerable<(string UsageType, decimal Quantity)> measured, Func<(string UsageType, decimal Quantity), MeteredUsage> usage)
    {
        var items = new List<PricedLineItem>();
        foreach (var measure in measured.Where(m => m.Quantity > 0))
        {
            var lines = pricer.PriceMetered(usage(measure));
            for (var i = 0; i < lines.Count; i++)
            {
                var id = DeterministicId.FromParts("priced-line", eventId, measure.UsageType, i.ToString(CultureInfo.InvariantCulture));
                items.Add(PricedLineItems.ToRecord(lines[i], id, source, role: null));
            }
        }

        return items;
    }
}
