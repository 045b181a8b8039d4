using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Media;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Simulation;
using StreamBilling.Storage;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// The billing pipeline end to end on the cluster, as the host runs it (<see cref="PipelineRun"/>): simulated EC2 and CDN
/// usage in; usage segments, priced lines, invoices, cap decisions, CDN status, rollups in the store and CDN billing
/// messages out.
/// </summary>
[Collection(PipelineRun.Collection)]
public sealed class PipelineIntegrationTests(PipelineRun run) : PipelineIntegrationTests<PipelineRun>(run);

/// <summary>The pipeline's end-to-end checks over the run <typeparamref name="TRun"/>, whose rate card the bill engine of the checks uses too.</summary>
/// <typeparam name="TRun">The run (its rate card).</typeparam>
public abstract class PipelineIntegrationTests<TRun>(TRun run) : IClassFixture<TRun>
    where TRun : PipelineRun
{
    /// <summary>The run the checks read.</summary>
    protected TRun Run => run;

    [Fact]
    public void Segments_OfTerminatedInstances_CoverLaunchToTerminateAndBillTheEnginesHours()
    {
        var launches = Launches();
        var terminates = Terminates();
        var slices = LatestSegments().ToLookup(s => s.instanceId, StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var (instance, terminate) in terminates)
        {
            var from = At(launches[instance].eventTime);
            var to = At(terminate.eventTime);
            var used = slices[instance].Where(s => s.segmentEnd > s.segmentStart).OrderBy(s => s.segmentStart).ToList();
            var contiguous = used.Count > 0 && At(used[0].segmentStart) == from && At(used[^1].segmentEnd) == to
                && used.Zip(used.Skip(1)).All(p => p.First.segmentEnd == p.Second.segmentStart);
            var seconds = used.Sum(s => SegmentHours.UsedSeconds(s));
            var billed = slices[instance].Sum(SegmentHours.Billed);
            if (!contiguous || seconds != (decimal)(to - from).TotalSeconds || billed != EngineHours(from, to) || !used[^1].isFinal)
            {
                wrong.Add($"{instance} [{from:O}, {to:O}): {used.Count} slices, {seconds} s, {billed} h billed (engine: {EngineHours(from, to)} h)");
            }
        }

        Assert.True(terminates.Count >= 40, $"the simulation should terminate plenty of instances, it terminated {terminates.Count}");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Segments_OfTerminatedInstances_AreTheTestDriversSlicesForTheSameEvents()
    {
        var terminated = Terminates().Keys.ToHashSet(StringComparer.Ordinal);

        // Voided slices (empty, after a late terminate) depend on how far each partition's stream time ran ahead; the
        // slices that carry time do not.
        static IEnumerable<(string, string, DateTime, DateTime, bool)> Used(IEnumerable<UsageSegment> segments, HashSet<string> instances) =>
            segments.Where(s => instances.Contains(s.instanceId) && s.segmentEnd > s.segmentStart)
                .Select(s => (s.eventId, s.instanceId, s.segmentStart, s.segmentEnd, s.isFinal))
                .Order();

        Assert.Equal(Used(DriverSegments(), terminated), Used(LatestSegments(), terminated));
    }

    [Fact]
    public void Segments_OfInstancesStillRunning_AreInterimHourlySlicesFromTheLaunch()
    {
        var running = Launches().Keys.Except(Terminates().Keys).ToHashSet(StringComparer.Ordinal);
        var launches = Launches();
        var wrong = new List<string>();
        foreach (var group in LatestSegments().Where(s => running.Contains(s.instanceId)).GroupBy(s => s.instanceId, StringComparer.Ordinal))
        {
            var slices = group.OrderBy(s => s.segmentStart).ToList();
            var contiguous = At(slices[0].segmentStart) == At(launches[group.Key].eventTime)
                && slices.Zip(slices.Skip(1)).All(p => p.First.segmentEnd == p.Second.segmentStart);
            if (!contiguous || slices.Any(s => s.isFinal || s.sessionEnd is not null || At(s.segmentEnd).Ticks % TimeSpan.TicksPerHour != 0))
            {
                wrong.Add($"{group.Key}: {slices.Count} slices");
            }
        }

        Assert.Contains(LatestSegments(), s => running.Contains(s.instanceId));
        Assert.Empty(wrong);
    }

    [Fact]
    public void CapDecisions_OnePerBurstingCustomer_ForTheCapItsBurstCrosses_AndNoneForOthers()
    {
        // A re-delivered decision has the same id: count decisions, not records.
        var decisions = run.Decisions.DistinctBy(d => d.eventId).ToLookup(d => d.customerId, StringComparer.Ordinal);
        Assert.Contains(run.Customers, c => c.Burst == CdnBurst.FifteenMinutes);
        Assert.Contains(run.Customers, c => c.Burst == CdnBurst.ThreeHours);
        foreach (var customer in run.Customers)
        {
            if (customer.Burst == CdnBurst.None)
            {
                Assert.Empty(decisions[customer.CustomerId]);
                continue;
            }

            var decision = Assert.Single(decisions[customer.CustomerId]);
            var (window, limitGb) = customer.Burst == CdnBurst.FifteenMinutes ? (TimeSpan.FromMinutes(15), 100) : (TimeSpan.FromHours(3), 500);
            Assert.Equal(window, decision.windowEnd - decision.windowStart);
            Assert.Equal(limitGb * CdnCapLimit.BytesPerGb, decision.limitBytes);
            Assert.True(decision.totalBytes > decision.limitBytes);
            Assert.True(At(decision.windowStart) < customer.BurstEnd && At(decision.windowEnd) > customer.BurstStart, $"decision window of {customer.CustomerId} misses its burst");
            Assert.Equal(customer.DistributionId, decision.distributionId);
        }
    }

    [Fact]
    public void CdnController_DisablesEachCappedCustomerOnce_OnCdnStatusAndInTheStore()
    {
        var decisionOf = run.Decisions.DistinctBy(d => d.eventId).ToDictionary(d => d.customerId, StringComparer.Ordinal);
        var changes = run.StatusChanges.DistinctBy(c => c.eventId).ToLookup(c => c.customerId, StringComparer.Ordinal);
        Assert.NotEmpty(decisionOf);
        foreach (var customer in run.Customers)
        {
            if (!decisionOf.TryGetValue(customer.CustomerId, out var decision))
            {
                Assert.Empty(changes[customer.CustomerId]);
                Assert.Null(run.Statuses[customer.CustomerId]);
                continue;
            }

            var change = Assert.Single(changes[customer.CustomerId]);
            Assert.Equal((CdnDistributionStatus.Disabled, CdnDistributionStatus.Enabled, decision.eventId), (change.status, change.previousStatus, change.causeEventId));
            var stored = run.Statuses[customer.CustomerId];
            Assert.NotNull(stored);
            Assert.Equal((DistributionStatus.Disabled, decision.eventId, decision.distributionId), (stored.Status, stored.CauseId, stored.DistributionId));
        }
    }

    [Fact]
    public void Rollups_InTheStore_GiveTheSegmentsInstanceMinutes_PerRegionRoleAndIsoWeek()
    {
        // What the HourlyRollups topology must hold: running seconds per account, region#role and hour, as minutes at the store's
        // scale (9), summed per week over every account.
        var expected = LatestSegments()
            .GroupBy(s => (s.accountId, s.region, Role: string.IsNullOrWhiteSpace(s.role) ? "unknown" : s.role, Hour: HourOf(At(s.segmentStart))))
            .Select(g => (g.Key.region, g.Key.Role, Week: IsoWeeks.Of(g.Key.Hour), Minutes: decimal.Round(g.Sum(s => SegmentHours.UsedSeconds(s)) / 60m, 9, MidpointRounding.AwayFromZero)))
            .GroupBy(h => (h.region, h.Role, h.Week))
            .Select(g => (g.Key.region, g.Key.Role, g.Key.Week, Minutes: g.Sum(h => h.Minutes)))
            .Where(w => w.Minutes != 0)
            .Order()
            .ToList();
        var stored = run.WeeklyEc2.Where(w => w.UsageQuantity != 0).Select(w => (w.Region, w.Role, w.IsoWeek, w.UsageQuantity)).Order().ToList();

        Assert.Equal(["2024-W39", "2024-W40"], expected.Select(e => e.Week).Distinct().Order());
        Assert.Equal(expected, stored);
    }

    [Fact]
    public void Rollups_InTheStore_CarryThePricedLinesCost_PerRegionRoleAndIsoWeek()
    {
        // Cost is rolled up in the hour of each line's usage start; a retraction (or a replaced version) counts its latest amount.
        var expected = LatestPricedLines()
            .Where(l => l.service == ServiceKind.Ec2)
            .GroupBy(l => (l.region, Role: string.IsNullOrWhiteSpace(l.role) ? "unknown" : l.role, Week: IsoWeeks.Of(HourOf(At(l.usageStart)))))
            .Select(g => (g.Key.region, g.Key.Role, g.Key.Week, Cost: g.Sum(l => (decimal)l.amount)))
            .Where(w => w.Cost != 0)
            .Order()
            .ToList();
        var stored = run.WeeklyEc2.Where(w => w.Cost != 0).Select(w => (w.Region, w.Role, w.IsoWeek, w.Cost)).Order().ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, stored);
    }

    [Fact]
    public void PricedLines_OfTerminatedInstances_AreTheBillEnginesPricesOfTheSameSlices_CarryingTheirEventIds()
    {
        var terminated = Terminates().Keys.ToHashSet(StringComparer.Ordinal);
        var pricer = new UsagePricer(RateCard.Load(RateCardPath));
        var slices = LatestSegments().Where(s => terminated.Contains(s.instanceId) && s.purchaseOption != PurchaseOption.Reserved).ToList();
        var expected = slices
            .SelectMany(s => pricer.PriceInstance(UsageOf(s)).Select((line, i) => (
                Id: DeterministicId.FromParts("priced-line", s.eventId, i.ToString(CultureInfo.InvariantCulture)),
                s.accountId, Instance: s.instanceId, line.UsageStart, line.UsageEnd, line.Quantity, line.Rate, line.Amount, Sources: string.Join(' ', s.sourceEventIds))))
            .Order()
            .ToList();
        // The run's pricing application also reads segments other runs left on the topic (a void slice that only their
        // timing produced); the check is about the lines of this run's own segments.
        var ownLineIds = run.Segments
            .SelectMany(s => Enumerable.Range(0, 8).Select(i => DeterministicId.FromParts("priced-line", s.eventId, i.ToString(CultureInfo.InvariantCulture))))
            .ToHashSet(StringComparer.Ordinal);
        var actual = LatestPricedLines()
            .Where(l => terminated.Contains(l.resourceId) && ownLineIds.Contains(l.eventId))
            .Select(l => (Id: l.eventId, l.accountId, Instance: l.resourceId, UsageStart: At(l.usageStart), UsageEnd: At(l.usageEnd), Quantity: (decimal)l.quantity,
                Rate: (decimal)l.rate, Amount: (decimal)l.amount, Sources: string.Join(' ', l.sourceEventIds)))
            .Order()
            .ToList();

        Assert.True(expected.Count >= 100, $"the run should price plenty of slices of terminated instances, it priced {expected.Count}");
        Assert.Contains(expected, e => e.Amount > 0);
        Assert.Equal(expected, actual);

        // Every line names the launch it came from, and the final slice's lines the terminate too.
        var launches = Launches();
        var terminates = Terminates();
        Assert.All(slices, s => Assert.Contains(launches[s.instanceId].eventId, s.sourceEventIds));
        Assert.All(slices.Where(s => s.isFinal), s => Assert.Contains(terminates[s.instanceId].eventId, s.sourceEventIds));
    }

    [Fact]
    public void PricedLines_OfCdnTraffic_AreTheBillEnginesGraduatedPrices_OfTheCostExplorerFigures()
    {
        var expected = CdnLines(new UsagePricer(RateCard.Load(RateCardPath)))
            .Select(l => (l.CustomerId, l.ResourceId, l.UsageType, l.Month.ToString(), l.Quantity, l.Rate, l.Amount, Sources: string.Join(' ', l.SourceEventIds)))
            .Order()
            .ToList();
        var actual = LatestPricedLines()
            .Where(l => l.service == ServiceKind.Cdn)
            .Select(l => (l.accountId, l.resourceId, l.usageType, l.billingMonth, N((decimal)l.quantity), N((decimal)l.rate), N((decimal)l.amount), Sources: string.Join(' ', l.sourceEventIds)))
            .Order()
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e with { Quantity = N(e.Quantity), Rate = N(e.Rate), Amount = N(e.Amount) }), actual);
    }

    [Fact]
    public void PricedLines_OfMediaServices_AreTheBillEnginesPrices_OfThePairedRunsEgressAndRecordings()
    {
        var expected = MediaLines(new UsagePricer(RateCard.Load(RateCardPath)))
            .Select(l => (l.Id, l.Line.CustomerId, Service: (ServiceKind)(int)l.Line.Service, l.Line.ResourceId, l.Line.UsageType, l.Line.Month.ToString(),
                N(l.Line.Quantity), N(l.Line.Rate), N(l.Line.Amount), Sources: string.Join(' ', l.Line.SourceEventIds)))
            .Order()
            .ToList();
        var actual = LatestPricedLines()
            .Where(l => MediaServices.Contains(l.service))
            .Select(l => (Id: l.eventId, l.accountId, Service: l.service, l.resourceId, l.usageType, l.billingMonth,
                N((decimal)l.quantity), N((decimal)l.rate), N((decimal)l.amount), Sources: string.Join(' ', l.sourceEventIds)))
            .Order()
            .ToList();

        // Every media service of seed 004 is in the run: channel hours (inputs, outputs), egress, job minutes, recordings.
        Assert.Equal(MediaServices.Order(), expected.Select(e => e.Service).Distinct().Order());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PricedLines_OfReservations_AreTheBillEnginesMonthlyCharges_ForEveryMonthOfTheTerm()
    {
        var purchases = run.Events.Select(e => e.Value).OfType<ReservedInstancePurchased>().DistinctBy(p => p.eventId).ToList();
        var expected = ReservedLines(new UsagePricer(RateCard.Load(RateCardPath)))
            .Select(l => (l.Id, l.Line.CustomerId, l.Line.ResourceId, Month: l.Line.Month.ToString(), Quantity: N(l.Line.Quantity), Rate: N(l.Line.Rate), Amount: N(l.Line.Amount), Sources: string.Join(' ', l.Line.SourceEventIds)))
            .Order()
            .ToList();
        var actual = LatestPricedLines()
            .Where(l => l.service == ServiceKind.ReservedInstance)
            .Select(l => (Id: l.eventId, l.accountId, l.resourceId, Month: l.billingMonth, Quantity: N((decimal)l.quantity), Rate: N((decimal)l.rate), Amount: N((decimal)l.amount), Sources: string.Join(' ', l.sourceEventIds)))
            .Order()
            .ToList();

        Assert.NotEmpty(purchases);

        // One charge per month of each term (12 or 36 months), 24 hours a day, starting the month after the purchase.
        Assert.Equal(purchases.Sum(p => MonthsBetween(At(p.termStart), At(p.termEnd))), expected.Count);
        Assert.All(expected, e => Assert.True(e.Amount > 0, $"{e.Id} charges nothing"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Invoices_LatestPerCustomerAndMonth_AreTheBillEnginesBills_OfTheSamePricedLines()
    {
        // The bill engine directly: every latest slice priced by UsagePricer, one InvoiceAssembler per customer.
        var pricer = new UsagePricer(RateCard.Load(RateCardPath));
        var assemblers = new Dictionary<string, InvoiceAssembler>(StringComparer.Ordinal);
        foreach (var segment in LatestSegments().Where(s => s.purchaseOption != PurchaseOption.Reserved).OrderBy(s => s.segmentStart).ThenBy(s => s.eventId, StringComparer.Ordinal))
        {
            if (!assemblers.TryGetValue(segment.accountId, out var assembler))
            {
                assemblers[segment.accountId] = assembler = new InvoiceAssembler(segment.accountId, segment.accountId);
            }

            foreach (var line in pricer.PriceInstance(UsageOf(segment)))
            {
                assembler.Add(line);
            }
        }

        foreach (var line in CdnLines(pricer).Concat(MediaLines(pricer).Select(l => l.Line)).Concat(ReservedLines(pricer).Select(l => l.Line)))
        {
            if (!assemblers.TryGetValue(line.CustomerId, out var assembler))
            {
                assemblers[line.CustomerId] = assembler = new InvoiceAssembler(line.CustomerId, line.CustomerId);
            }

            assembler.Add(line);
        }

        var expected = assemblers.Values
            .SelectMany(a => a.Months.Select(a.Bill))
            .OfType<MonthlyBill>()
            .ToDictionary(b => InvoiceRecords.InvoiceId(b.CustomerId, b.Month), StringComparer.Ordinal);
        var latest = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        foreach (var invoice in run.Invoices)
        {
            // One invoice id is one key, so its versions are in one partition, in order.
            latest[invoice.invoiceId] = invoice;
        }

        // Usage falls in September and October 2024; a reservation is charged every month of its term from the next month on.
        var reservedMonths = ReservedLines(pricer).Select(l => l.Line.Month.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            reservedMonths.Union(["2024-09", "2024-10"]).Order(StringComparer.Ordinal),
            latest.Values.Select(i => i.billingMonth).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), latest.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(latest.Values, i => i.lines.Any(l => l.service == ServiceKind.ReservedInstance));
        Assert.Contains(latest.Values, i => i.lines.Any(l => l.service == ServiceKind.MediaLive));
        foreach (var (id, invoice) in latest)
        {
            var bill = expected[id];
            Assert.Equal(InvoiceStatus.MonthToDate, invoice.status);
            Assert.Equal((bill.TotalAmount, bill.TotalDiscount, bill.ActualAmount), ((decimal)invoice.totalAmount, (decimal)invoice.totalDiscount, (decimal)invoice.actualAmount));
            Assert.Equal(Figures(bill), Figures(InvoiceRecords.ToBill(invoice)));
        }
    }

    [Fact]
    public void CdnUsageMessages_PerCustomer_AreConsecutiveDailyPeriods_CarryingTheCostExplorerTraffic()
    {
        // Cost Explorer's authoritative figure per customer and day (re-sent figures share their eventId).
        var figures = run.Events.Select(e => e.Value).OfType<CdnTraffic>()
            .Where(t => t.dataSource == CdnDataSource.CostExplorer)
            .DistinctBy(t => t.eventId)
            .ToDictionary(t => (t.customerId, At(t.periodStart)), t => t.bytes);
        var messages = run.BillingMessages.DistinctBy(m => m.eventId).ToLookup(m => m.payload.customerId, StringComparer.Ordinal);
        foreach (var customer in run.Customers)
        {
            var periods = messages[customer.CustomerId].OrderBy(m => m.payload.startPeriod).ToList();

            // A day is billed once stream time passes its end + 25 h: the last figures (for day 3) arrive ~24 h after the run,
            // which settles days 1 and 2 but not day 3.
            Assert.Equal(2, periods.Count);
            Assert.Equal(PipelineRun.Simulation.Start, At(periods[0].payload.startPeriod));
            Assert.All(periods.Zip(periods.Skip(1)), p => Assert.Equal(p.First.payload.endPeriod, p.Second.payload.startPeriod));
            foreach (var message in periods)
            {
                Assert.Equal("EVENT_CDN_USAGE", message.type);
                Assert.Equal(message.eventId, message.payload.id);
                Assert.Equal(TimeSpan.FromDays(1), message.payload.endPeriod - message.payload.startPeriod);
                var gb = figures[(customer.CustomerId, At(message.payload.startPeriod))] / (decimal)CdnCapLimit.BytesPerGb;
                Assert.Equal(gb, (decimal)message.payload.trafficUsageGb);
            }
        }
    }

    /// <summary>The rate card the host registrations load by default (copied next to the test assembly).</summary>
    private string RateCardPath => run.RateCardPath;

    /// <summary>A slice as the bill engine prices it: from its session start, so hours follow the engine's rounding.</summary>
    private static InstanceUsage UsageOf(UsageSegment segment) => new(
        [.. segment.sourceEventIds],
        segment.accountId,
        segment.instanceId,
        segment.instanceType,
        segment.region,
        (InstanceOs)(int)segment.os,
        segment.purchaseOption == PurchaseOption.Spot ? Pricing.Spot : Pricing.OnDemand,
        At(segment.sessionStart),
        At(segment.segmentStart),
        At(segment.segmentEnd));

    /// <summary>What an invoice carries of a bill, line by line (free hours and sub-second used time are not carried); decimals compared by value, not scale.</summary>
    /// <remarks>
    /// Without instance lines that carry nothing (no time, no hours, no money): a zero interim slice exists or not with
    /// the timing of the run that sliced it (as in <c>chaos</c>'s comparison), and a run's applications also read what
    /// earlier runs left on the topics.
    /// </remarks>
    private static List<string> Figures(MonthlyBill bill) =>
        [.. bill.Lines.Where(l => l.UsedTime > TimeSpan.Zero || l.BilledHours != 0 || l.Amount != 0).Select(l => FormattableString.Invariant($"{l.Region} {l.InstanceType} {l.Pricing} x{l.Resources} {l.UsedTime.Ticks / TimeSpan.TicksPerSecond}s {l.BilledHours}h @{N(l.Rate)} = {N(l.Amount)} - {N(l.Discount)}"))
            .Concat(bill.ServiceLines.Select(l => FormattableString.Invariant($"{l.Service} {l.Region} {l.UsageType} {N(l.Quantity)} {l.Unit} @{N(l.Rate)} = {N(l.Amount)}")))
            .Concat(bill.ElasticIpLines.Select(l => FormattableString.Invariant($"EIP {l.Region} {l.IpAddress} {l.BilledHours}h = {N(l.Amount)}")))
            .Concat(bill.Corrections.Select(l => FormattableString.Invariant($"correction {l.CorrectsMonth} {l.Kind} {l.Item} = {N(l.Amount)} - {N(l.Discount)}")))
            .Order(StringComparer.Ordinal)];

    /// <summary>The value without trailing zeros (Avro decimals carry their schema's scale).</summary>
    private static decimal N(decimal value) => value / 1.0000000000000000000000000000m;

    /// <summary>
    /// Cost Explorer's CDN figures priced directly by the bill engine: each customer's figures in publish order (the topic's
    /// key is the customer, so one partition keeps that order), a re-sent figure counted once, graduated tiers starting
    /// from the customer's GB so far in the month.
    /// </summary>
    private List<PricedLine> CdnLines(UsagePricer pricer)
    {
        var monthToDate = new Dictionary<(string, BillingMonth), decimal>();
        var lines = new List<PricedLine>();
        foreach (var figure in run.Events.Select(e => e.Value).OfType<CdnTraffic>().Where(t => t.dataSource == CdnDataSource.CostExplorer).DistinctBy(t => t.eventId))
        {
            var usage = new MeteredUsage(
                [figure.eventId], figure.customerId, BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, figure.distributionId,
                At(figure.periodStart), At(figure.periodEnd), MeteredQuantity.Gigabytes(figure.bytes));
            var priced = pricer.PriceMetered(usage, month => monthToDate.GetValueOrDefault((figure.customerId, month)));
            foreach (var line in priced)
            {
                monthToDate[(figure.customerId, line.Month)] = monthToDate.GetValueOrDefault((figure.customerId, line.Month)) + line.Quantity;
            }

            lines.AddRange(priced);
        }

        return lines;
    }

    /// <summary>Services billed from the media events of seed 004.</summary>
    private static readonly ServiceKind[] MediaServices =
        [ServiceKind.MediaPackage, ServiceKind.CloudFront, ServiceKind.MediaLive, ServiceKind.MediaConvert, ServiceKind.S3Recording];

    /// <summary>
    /// The media events priced directly by the bill engine, with the ids the Pricing topology gives their lines: egress per GB,
    /// recordings per GB once, MediaLive runs (start and stop of a channel) by started hours per input and output,
    /// MediaConvert jobs (start and finish) by running minutes. Re-sent events (same eventId) count once; a run without
    /// its end in the simulated period is not billed.
    /// </summary>
    private List<(string Id, PricedLine Line)> MediaLines(UsagePricer pricer)
    {
        var events = run.Events.Select(e => e.Value).ToList();
        var lines = new List<(string, PricedLine)>();
        void Metered(string eventId, string usageType, MeteredUsage usage) =>
            lines.AddRange(pricer.PriceMetered(usage).Select((l, i) => (DeterministicId.FromParts("priced-line", eventId, usageType, i.ToString(CultureInfo.InvariantCulture)), l)));

        foreach (var e in events.OfType<MediaPackageEgress>().DistinctBy(e => e.eventId).Where(e => e.bytesDownloaded > 0))
        {
            Metered(e.eventId, UsageTypes.MediaPackageEgress, new MeteredUsage(
                [e.eventId], e.accountId, BillableService.MediaPackage, UsageTypes.MediaPackageEgress, e.region, e.channelId, At(e.periodStart), At(e.periodEnd), MeteredQuantity.Gigabytes(e.bytesDownloaded)));
        }

        foreach (var e in events.OfType<CloudFrontEgress>().DistinctBy(e => e.eventId).Where(e => e.bytes > 0))
        {
            Metered(e.eventId, UsageTypes.CloudFrontEgress, new MeteredUsage(
                [e.eventId], e.accountId, BillableService.CloudFront, UsageTypes.CloudFrontEgress, e.region, e.distributionId, At(e.periodStart), At(e.periodEnd), MeteredQuantity.Gigabytes(e.bytes)));
        }

        foreach (var e in events.OfType<RecordingStored>().DistinctBy(e => e.eventId).Where(e => e.sizeBytes > 0))
        {
            Metered(e.eventId, UsageTypes.RecordingStorage, new MeteredUsage(
                [e.eventId], e.accountId, BillableService.S3Recording, UsageTypes.RecordingStorage, e.region, e.recordingId, At(e.eventTime), At(e.eventTime), MeteredQuantity.Gigabytes(e.sizeBytes)));
        }

        var stops = events.OfType<MediaLiveChannelStopped>().DistinctBy(e => e.channelId).ToDictionary(e => e.channelId, StringComparer.Ordinal);
        foreach (var start in events.OfType<MediaLiveChannelStarted>().DistinctBy(e => e.channelId).Where(e => stops.ContainsKey(e.channelId)))
        {
            var stop = stops[start.channelId];
            var usage = new ChannelUsage([start.eventId, stop.eventId], start.accountId, start.channelId, start.region, At(start.eventTime), At(start.eventTime), At(stop.eventTime), start.inputCount, start.outputCount);
            lines.AddRange(pricer.PriceChannel(usage).Select((l, i) => (DeterministicId.FromParts("priced-line", start.eventId, "medialive", i.ToString(CultureInfo.InvariantCulture)), l)));
        }

        var finishes = events.OfType<MediaConvertJobFinished>().DistinctBy(e => e.jobId).ToDictionary(e => e.jobId, StringComparer.Ordinal);
        foreach (var start in events.OfType<MediaConvertJobStarted>().DistinctBy(e => e.jobId).Where(e => finishes.ContainsKey(e.jobId)))
        {
            var finish = finishes[start.jobId];
            var usage = new MeteredUsage(
                [start.eventId, finish.eventId], start.accountId, BillableService.MediaConvert, UsageTypes.MediaConvertMinutes, start.region, start.jobId,
                At(start.eventTime), At(finish.eventTime), MeteredQuantity.Minutes(At(finish.eventTime) - At(start.eventTime)));
            lines.AddRange(pricer.PriceMetered(usage).Select((l, i) => (DeterministicId.FromParts("priced-line", start.eventId, "mediaconvert", i.ToString(CultureInfo.InvariantCulture)), l)));
        }

        return lines;
    }

    /// <summary>Each reservation's monthly charges priced directly by the bill engine, under the ids the Pricing topology gives them (purchase, month).</summary>
    private List<(string Id, PricedLine Line)> ReservedLines(UsagePricer pricer) =>
        [.. run.Events.Select(e => e.Value).OfType<ReservedInstancePurchased>().DistinctBy(p => p.eventId)
            .SelectMany(p => pricer.PriceReservation(new ReservedInstanceTerm(
                    [p.eventId], p.accountId, p.instanceId, p.instanceType, p.region, (InstanceOs)(int)p.os,
                    BillingMonth.Of(At(p.termStart)), BillingMonth.Of(At(p.termEnd) - TimeSpan.FromTicks(1))))
                .Select(l => (DeterministicId.FromParts("priced-line", p.eventId, l.Month.ToString()), l)))];

    private static int MonthsBetween(DateTimeOffset from, DateTimeOffset until) => ((until.Year - from.Year) * 12) + until.Month - from.Month;

    /// <summary>What an upserting consumer of the priced lines holds: the latest version of each line id, retractions dropped.</summary>
    [Fact]
    public void DailyUsage_CdnDays_HoldTheCloudWatchEstimate_AndTheCostExplorerFigureAsPriced_WhichTheCostRestsOn()
    {
        // What the daily view must hold per customer and UTC day: the distinct valid CloudWatch samples' GB (one-minute
        // samples, none across midnight) and the latest CDN priced lines (Cost Explorer's daily figures, priced).
        var samples = run.Events.Select(e => e.Value).OfType<CdnTraffic>()
            .Where(t => t.dataSource == CdnDataSource.CloudWatch && t.bytes >= 0 && t.periodEnd >= t.periodStart)
            .DistinctBy(t => t.eventId)
            .ToLookup(t => (t.customerId, DateOnly.FromDateTime(t.periodStart)));
        var lines = LatestPricedLines().Where(l => l.service == ServiceKind.Cdn).ToLookup(l => (l.accountId, DateOnly.FromDateTime(l.usageStart)));
        var reconciled = 0;
        foreach (var customer in run.Customers)
        {
            var series = run.DailyCdn[customer.CustomerId];
            Assert.Equal(3, series.Days.Count);
            foreach (var day in series.Days)
            {
                var estimateGb = samples[(customer.CustomerId, day.Date)].Sum(t => t.bytes) / 1_000_000_000m;
                var billed = lines[(customer.CustomerId, day.Date)].ToList();
                Assert.Equal(estimateGb, day.Estimate?.Quantity ?? 0m);
                Assert.True(estimateGb == 0 || day.Estimate!.Cost > 0, $"{customer.CustomerId} {day.Date}: estimate unpriced");
                DailyUsageAmount? expected = billed.Count == 0 ? null : new(billed.Sum(l => (decimal)l.quantity), billed.Sum(l => (decimal)l.amount));
                Assert.Equal(expected, day.Authoritative);
                Assert.Equal(billed.Count == 0 ? DailyCostBasis.Estimate : DailyCostBasis.Authoritative, day.CostBasis);
                Assert.Equal((day.Authoritative ?? day.Estimate)?.Cost ?? 0m, day.Cost);
                reconciled += day.Reconciled ? 1 : 0;
            }
        }

        // CloudWatch is off by up to 2 %: the figures that came in correct most estimates.
        Assert.True(reconciled >= run.Customers.Count, $"only {reconciled} reconciled days");
    }

    private List<PricedLineItem> LatestPricedLines()
    {
        var latest = new Dictionary<string, PricedLineItem>(StringComparer.Ordinal);
        foreach (var line in run.PricedLines)
        {
            latest[line.eventId] = line;
        }

        return [.. latest.Values.Where(l => !l.isRetraction)];
    }

    private static DateTimeOffset At(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>The bill engine's hours for a session: each UTC-month piece rounded up to whole hours once.</summary>
    private static long EngineHours(DateTimeOffset from, DateTimeOffset to)
    {
        long hours = 0;
        for (var start = from; start < to;)
        {
            var nextMonth = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            var end = nextMonth < to ? nextMonth : to;
            hours += (long)Math.Ceiling((end - start).TotalHours);
            start = end;
        }

        return hours;
    }

    private Dictionary<string, InstanceLaunched> Launches() =>
        run.Events.Select(e => e.Value).OfType<InstanceLaunched>().DistinctBy(l => l.instanceId).ToDictionary(l => l.instanceId, StringComparer.Ordinal);

    private Dictionary<string, InstanceTerminated> Terminates() =>
        run.Events.Select(e => e.Value).OfType<InstanceTerminated>().DistinctBy(t => t.instanceId).ToDictionary(t => t.instanceId, StringComparer.Ordinal);

    /// <summary>What an upserting consumer of the segments topic holds: the latest version of each slice id.</summary>
    private List<UsageSegment> LatestSegments() => Latest(run.Segments);

    /// <summary>The same events, in publish order and with their publish times, through the topology in the test driver.</summary>
    private List<UsageSegment> DriverSegments()
    {
        var serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        using var driver = new TopologyTestDriver(PipelineTopologies.BuildInstanceSessions(serdes));
        var launches = driver.CreateInputTopic(Topics.InstanceLaunched, StreamBilling.Streams.Serdes.Utf8, serdes.For<InstanceLaunched>());
        var terminates = driver.CreateInputTopic(Topics.InstanceTerminated, StreamBilling.Streams.Serdes.Utf8, serdes.For<InstanceTerminated>());
        var segments = driver.CreateOutputTopic(Topics.UsageSegments, StreamBilling.Streams.Serdes.Utf8, serdes.For<UsageSegment>());
        foreach (var e in run.Events)
        {
            switch (e.Value)
            {
                case InstanceLaunched launch:
                    launches.PipeInput(e.Key, launch, e.Timestamp);
                    break;
                case InstanceTerminated terminate:
                    terminates.PipeInput(e.Key, terminate, e.Timestamp);
                    break;
            }
        }

        return Latest(segments.ReadRecordsToList().Select(r => r.Value));
    }

    private static List<UsageSegment> Latest(IEnumerable<UsageSegment> segments)
    {
        var latest = new Dictionary<string, UsageSegment>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            latest[segment.eventId] = segment;
        }

        return [.. latest.Values];
    }
}
