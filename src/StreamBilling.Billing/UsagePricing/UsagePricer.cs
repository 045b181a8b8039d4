using System.Globalization;
using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;

namespace StreamBilling.Billing.UsagePricing;

/// <summary>
/// Turns usage into priced lines with a <see cref="RateCard"/>: the month cutting and hour rounding of
/// <see cref="MonthSplitter"/>, the rate in force at the usage time. Stateless and thread-safe; the batch bill engine
/// prices through the same instance methods, so a stream and a batch re-run cannot disagree.
/// </summary>
public sealed class UsagePricer
{
    private readonly RateCard _card;

    /// <summary>Creates a pricer for the rate card.</summary>
    public UsagePricer(RateCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        _card = card;
    }

    /// <summary>The rate card prices come from.</summary>
    public RateCard RateCard => _card;

    /// <summary>
    /// Prices EC2 usage: cut at month ends; in each month piece the hours are counted from the session start (or the
    /// month start) with <see cref="MonthSplitter.BilledHours(DateTimeOffset, DateTimeOffset, DateTimeOffset)"/>, and
    /// each billed hour is priced at the on-demand rate (or spot price) in force when it starts. One line per month
    /// piece and price; a slice in which no billed hour starts still gives a line (0 hours) carrying its used time.
    /// </summary>
    /// <exception cref="RateCardException">No rate (or spot price) for the type, region and OS at some billed hour.</exception>
    public IReadOnlyList<PricedLine> PriceInstance(InstanceUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Pricing == Pricing.Reserved)
        {
            throw new ArgumentException("Reserved instances are priced with PriceReservation.", nameof(usage));
        }

        if (usage.From < usage.SessionStart)
        {
            throw new ArgumentException("The slice starts before its session.", nameof(usage));
        }

        var lines = new List<PricedLine>(1);
        PriceInstance(usage, lines);
        return lines;
    }

    /// <summary>As <see cref="PriceInstance(InstanceUsage)"/>, appending to <paramref name="lines"/> (the batch reuses one list).</summary>
    internal void PriceInstance(InstanceUsage usage, List<PricedLine> lines)
    {
        foreach (var piece in MonthSplitter.Split(usage.From, usage.Until))
        {
            var anchor = usage.SessionStart > piece.Month.Start ? usage.SessionStart : piece.Month.Start;
            if (BillingAt(usage, anchor) == InstanceBilling.PerSecond)
            {
                PriceInstancePiecePerSecond(usage, piece, anchor, lines);
            }
            else
            {
                PriceInstancePiece(usage, piece, anchor, lines);
            }
        }
    }

    /// <summary>The reserved charge of one month of the term: 24 hours x days at the reserved rate in force at the month start.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The month is outside the term.</exception>
    /// <exception cref="RateCardException">No reserved rate for the type, region and OS.</exception>
    public PricedLine PriceReservedMonth(ReservedInstanceTerm term, BillingMonth month)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (month < term.FirstMonth || month > term.LastMonth)
        {
            throw new ArgumentOutOfRangeException(nameof(month), month, "The month is outside the reserved term.");
        }

        var version = _card.VersionAt(month.Start);
        if (!version.TryGetInstanceRate(term.Region, term.InstanceType, term.Os, out var rate) || rate.ReservedPerHour is not { } perHour)
        {
            throw new RateCardException($"no reserved rate for {term.InstanceType} ({term.Os}) in {RegionName(term.Region)} in rate card version {version.Version}");
        }

        // A reservation is paid for every hour of the month, run or not; used time shows the same hours.
        var hours = 24L * month.Days;
        return new PricedLine
        {
            SourceEventIds = term.SourceEventIds,
            CustomerId = term.CustomerId,
            Service = BillableService.ReservedInstance,
            Region = term.Region,
            ResourceId = term.InstanceId,
            UsageType = UsageTypes.Instance(term.InstanceType, term.Os, Pricing.Reserved),
            Month = month,
            UsageStart = month.Start,
            UsageEnd = month.End,
            Quantity = hours,
            Unit = "Hours",
            Rate = perHour,
            Currency = _card.Currency,
            RateCardVersion = version.Version,
            Instance = new InstanceLineDetail(term.InstanceType, term.Os, Pricing.Reserved, TimeSpan.FromHours(hours), month.Start, FreeTierEligible: false),
        };
    }

    /// <summary>The reserved charges of every month of the term.</summary>
    public IReadOnlyList<PricedLine> PriceReservation(ReservedInstanceTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var lines = new List<PricedLine>();
        for (var month = term.FirstMonth; month <= term.LastMonth; month = month.Next)
        {
            lines.Add(PriceReservedMonth(term, month));
        }

        return lines;
    }

    /// <summary>
    /// Prices a metered quantity. A period across a month end is shared between the months by time. Tiered rates (CDN)
    /// price the quantity on top of what the customer already used that month, <paramref name="quantityBefore"/>, kept
    /// by the caller (usage type suffixed <c>:Tier1</c>, <c>:Tier2</c>, ...). Graduated: one line per tier crossed.
    /// Volume: one line at the tier the month reaches, plus, when that moves the month to another tier, a pair of
    /// correction lines (<see cref="PricedLine.IsVolumeTierCorrection"/>) re-pricing the <c>quantityBefore</c> units;
    /// their quantities cancel, so the month-to-date quantity still grows by the usage's quantity.
    /// </summary>
    /// <exception cref="RateCardException">No rate for the usage type in the region.</exception>
    public IReadOnlyList<PricedLine> PriceMetered(MeteredUsage usage, Func<BillingMonth, decimal>? quantityBefore = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.Quantity);
        var lines = new List<PricedLine>(1);
        var total = usage.Until - usage.From;
        var remaining = usage.Quantity;
        foreach (var piece in MonthSplitter.Split(usage.From, usage.Until))
        {
            // The last piece takes the remainder, so the pieces add up to the measured quantity exactly.
            var share = piece.Until == usage.Until || total == TimeSpan.Zero
                ? remaining
                : Math.Round(usage.Quantity * piece.UsedTime.Ticks / total.Ticks, MeteredQuantity.Scale, MidpointRounding.AwayFromZero);
            remaining -= share;
            var quantity = usage.UsageType == UsageTypes.S3Storage && usage.Service == BillableService.S3
                ? Math.Round(share / (24m * piece.Month.Days), MeteredQuantity.Scale, MidpointRounding.AwayFromZero)
                : share;
            PriceMeteredPiece(usage, piece, quantity, quantityBefore?.Invoke(piece.Month) ?? 0m, lines);
        }

        return lines;
    }

    /// <summary>Prices a MediaLive channel run: started hours as for an instance, times inputs and times outputs.</summary>
    /// <exception cref="RateCardException">No input or output rate in the region.</exception>
    public IReadOnlyList<PricedLine> PriceChannel(ChannelUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.InputCount);
        ArgumentOutOfRangeException.ThrowIfNegative(usage.OutputCount);
        if (usage.From < usage.SessionStart)
        {
            throw new ArgumentException("The slice starts before its session.", nameof(usage));
        }

        var lines = new List<PricedLine>(2);
        foreach (var piece in MonthSplitter.Split(usage.From, usage.Until))
        {
            var anchor = usage.SessionStart > piece.Month.Start ? usage.SessionStart : piece.Month.Start;
            var hours = MonthSplitter.BilledHours(anchor, piece.From, piece.Until);
            var slice = new MeteredUsage(usage.SourceEventIds, usage.CustomerId, BillableService.MediaLive, UsageTypes.MediaLiveInputHours, usage.Region, usage.ChannelId, piece.From, piece.Until, hours * usage.InputCount);
            PriceMeteredPiece(slice, piece, slice.Quantity, 0m, lines);
            slice = slice with { UsageType = UsageTypes.MediaLiveOutputHours, Quantity = hours * usage.OutputCount };
            PriceMeteredPiece(slice, piece, slice.Quantity, 0m, lines);
        }

        return lines;
    }

    /// <summary>Attaches the idle-hour rate in force when the address was allocated (zero for the customer's own IP).</summary>
    /// <exception cref="RateCardException">No Elastic IP rate in the region (and the IP is not the customer's own).</exception>
    public PricedElasticIpHolding PriceElasticIp(ElasticIpHolding holding)
    {
        ArgumentNullException.ThrowIfNull(holding);
        var version = _card.VersionAt(holding.From);
        if (holding.IsOwnIp)
        {
            return new PricedElasticIpHolding(holding, 0m, version.Version);
        }

        if (!version.TryGetElasticIpRate(holding.Region, out var perHour))
        {
            throw new RateCardException($"no Elastic IP rate in {RegionName(holding.Region)} in rate card version {version.Version}");
        }

        return new PricedElasticIpHolding(holding, perHour, version.Version);
    }

    private void PriceInstancePiece(InstanceUsage usage, MonthPiece piece, DateTimeOffset anchor, List<PricedLine> lines)
    {
        var firstHour = MonthSplitter.BilledHours(piece.From - anchor);
        var endHour = MonthSplitter.BilledHours(piece.Until - anchor);
        if (firstHour == endHour)
        {
            // No billed hour starts in this slice; it still counts as used time and as a resource.
            var (rate, version, eligible) = HourPrice(usage, piece.From);
            lines.Add(InstanceLine(usage, piece, anchor, piece.From, piece.Until, 0, rate, version, eligible));
            return;
        }

        // Each billed hour k starts at anchor + k hours and costs the price in force then. Prices change only where a
        // rate card version (or a spot price) takes effect, so only the hours starting at or after such an instant are
        // looked at. Runs of hours with the same price become one line; the cut falls where the changed hour starts.
        var changes = _card.PriceChangesBetween(usage.Region, usage.InstanceType, usage.Os, usage.Pricing == Pricing.Spot, anchor.AddHours(firstHour), anchor.AddHours(endHour - 1));
        if (changes.Count == 0)
        {
            // The common case (and always in a batch): one price for the whole slice.
            var (rate, version, eligible) = HourPrice(usage, anchor.AddHours(firstHour));
            lines.Add(InstanceLine(usage, piece, anchor, piece.From, piece.Until, endHour - firstHour, rate, version, eligible));
            return;
        }

        var cuts = new List<long> { firstHour };
        foreach (var change in changes)
        {
            var hour = MonthSplitter.BilledHours(change - anchor);
            if (hour > cuts[^1] && hour < endHour)
            {
                cuts.Add(hour);
            }
        }

        var sliceStart = piece.From;
        var runStart = firstHour;
        var current = HourPrice(usage, anchor.AddHours(firstHour));
        for (var i = 1; i <= cuts.Count; i++)
        {
            var next = i < cuts.Count ? HourPrice(usage, anchor.AddHours(cuts[i])) : default;
            if (i < cuts.Count && next == current)
            {
                continue;
            }

            var runEnd = i < cuts.Count ? cuts[i] : endHour;
            var sliceEnd = i < cuts.Count ? anchor.AddHours(runEnd) : piece.Until;
            lines.Add(InstanceLine(usage, piece, anchor, sliceStart, sliceEnd, runEnd - runStart, current.Rate, current.Version, current.FreeTierEligible));
            sliceStart = sliceEnd;
            runStart = runEnd;
            current = next;
        }
    }

    /// <summary>
    /// The billing rule of the type's ec2 entry in the version in force at the piece start (spot included: a spot instance
    /// is billed as the type's entry says); per started hour when the card bills nothing per second or has no entry.
    /// </summary>
    private InstanceBilling BillingAt(InstanceUsage usage, DateTimeOffset pieceStart)
    {
        if (!_card.HasPerSecondBilling)
        {
            return InstanceBilling.PerStartedHour;
        }

        var version = _card.VersionAt(pieceStart);
        return version.TryGetInstanceRate(usage.Region, usage.InstanceType, usage.Os, out var rate) ? rate.Billing : InstanceBilling.PerStartedHour;
    }

    /// <summary>
    /// Per-second billing: the slice's billed seconds are counted from the session start (not the month start), so the
    /// 60-second minimum is charged once per session. A price change (rate card version or spot price) cuts the slice at
    /// the instant it takes effect; each run of one price is a line whose quantity is its billed seconds in hours.
    /// </summary>
    private void PriceInstancePiecePerSecond(InstanceUsage usage, MonthPiece piece, DateTimeOffset anchor, List<PricedLine> lines)
    {
        IReadOnlyList<DateTimeOffset> changes = piece.Until > piece.From
            ? _card.PriceChangesBetween(usage.Region, usage.InstanceType, usage.Os, usage.Pricing == Pricing.Spot, piece.From, piece.Until - TimeSpan.FromTicks(1))
            : [];
        var start = piece.From;
        var current = HourPrice(usage, start);
        foreach (var change in changes)
        {
            var next = HourPrice(usage, change);
            if (change <= start || next == current)
            {
                continue;
            }

            lines.Add(PerSecondLine(usage, piece, anchor, start, change, current.Rate, current.Version));
            start = change;
            current = next;
        }

        lines.Add(PerSecondLine(usage, piece, anchor, start, piece.Until, current.Rate, current.Version));
    }

    // Never free-tier eligible: the rate card refuses per-second billing for a free-tier type.
    private PricedLine PerSecondLine(InstanceUsage usage, MonthPiece piece, DateTimeOffset anchor, DateTimeOffset from, DateTimeOffset until, decimal rate, string version) =>
        InstanceLine(
            usage, piece, anchor, from, until, PerSecondBilling.BilledHours(usage.SessionStart, from, until), rate, version, eligible: false,
            PerSecondBilling.BilledSeconds(usage.SessionStart, from, until));

    private (decimal Rate, string Version, bool FreeTierEligible) HourPrice(InstanceUsage usage, DateTimeOffset hourStart)
    {
        var version = _card.VersionAt(hourStart);
        if (usage.Pricing == Pricing.Spot)
        {
            if (!_card.TryGetSpotPrice(usage.Region, usage.InstanceType, usage.Os, hourStart, out var spot))
            {
                throw new RateCardException($"no spot price for {usage.InstanceType} ({usage.Os}) in {RegionName(usage.Region)} at {Instant(hourStart)}");
            }

            return (spot, version.Version, false);
        }

        if (!version.TryGetInstanceRate(usage.Region, usage.InstanceType, usage.Os, out var rate))
        {
            throw new RateCardException($"no rate for {usage.InstanceType} ({usage.Os}) in {RegionName(usage.Region)} in rate card version {version.Version}");
        }

        return (rate.OnDemandPerHour, version.Version, version.IsFreeTierEligible(usage.Region, usage.InstanceType));
    }

    private PricedLine InstanceLine(
        InstanceUsage usage, MonthPiece piece, DateTimeOffset anchor, DateTimeOffset from, DateTimeOffset until, decimal hours, decimal rate, string version, bool eligible,
        long? billedSeconds = null) => new()
        {
            SourceEventIds = usage.SourceEventIds,
            CustomerId = usage.CustomerId,
            Service = BillableService.Ec2,
            Region = usage.Region,
            ResourceId = usage.InstanceId,
            UsageType = UsageTypes.Instance(usage.InstanceType, usage.Os, usage.Pricing),
            Month = piece.Month,
            UsageStart = from,
            UsageEnd = until,
            Quantity = hours,
            Unit = "Hours",
            Rate = rate,
            Currency = _card.Currency,
            RateCardVersion = version,
            Instance = new InstanceLineDetail(usage.InstanceType, usage.Os, usage.Pricing, until - from, anchor, eligible) { BilledSeconds = billedSeconds },
        };

    private void PriceMeteredPiece(MeteredUsage usage, MonthPiece piece, decimal quantity, decimal before, List<PricedLine> lines)
    {
        var version = _card.VersionAt(piece.From);
        if (!version.TryGetMeteredRate(usage.Service, usage.UsageType, usage.Region, out var rate))
        {
            throw new RateCardException($"no rate for {usage.Service} {usage.UsageType} in {RegionName(usage.Region)} in rate card version {version.Version}");
        }

        if (!rate.IsTiered)
        {
            lines.Add(MeteredLine(usage, piece, usage.UsageType, quantity, rate.Unit, rate.Tiers[0].PerUnit, version.Version));
            return;
        }

        if (rate.Mode == TierMode.Volume)
        {
            PriceVolumePiece(usage, piece, quantity, before, rate, version.Version, lines);
            return;
        }

        // Graduated: the part of [before, before + quantity) inside each tier is priced at that tier's rate.
        var lower = 0m;
        for (var i = 0; i < rate.Tiers.Count; i++)
        {
            var tier = rate.Tiers[i];
            var upper = tier.UpTo ?? decimal.MaxValue;
            var inTier = Math.Min(upper, before + quantity) - Math.Max(lower, before);
            if (inTier > 0 || (quantity == 0 && before >= lower && before < upper))
            {
                lines.Add(MeteredLine(usage, piece, TierUsageType(usage.UsageType, i), Math.Max(inTier, 0), rate.Unit, tier.PerUnit, version.Version));
            }

            lower = upper;
        }
    }

    /// <summary>
    /// Volume tiers: the piece is priced at the tier the month reaches with it (<c>before + quantity</c>). The units
    /// counted before it were all billed at the tier <c>before</c> reached; when that tier differs, they are re-priced
    /// by two correction lines over the piece's period: <c>-before</c> at the old tier's rate and <c>+before</c> at the
    /// new one's. The month's lines then always add up to its total at its tier, and its quantity per usage type to the
    /// units at each tier (0 at the tiers left behind).
    /// </summary>
    private void PriceVolumePiece(MeteredUsage usage, MonthPiece piece, decimal quantity, decimal before, MeteredRate rate, string version, List<PricedLine> lines)
    {
        var tier = rate.VolumeTierOf(before + quantity);
        lines.Add(MeteredLine(usage, piece, TierUsageType(usage.UsageType, tier), quantity, rate.Unit, rate.Tiers[tier].PerUnit, version));
        var was = rate.VolumeTierOf(before);
        if (before > 0 && was != tier)
        {
            lines.Add(MeteredLine(usage, piece, TierUsageType(usage.UsageType, was), -before, rate.Unit, rate.Tiers[was].PerUnit, version, correction: true));
            lines.Add(MeteredLine(usage, piece, TierUsageType(usage.UsageType, tier), before, rate.Unit, rate.Tiers[tier].PerUnit, version, correction: true));
        }
    }

    private static string TierUsageType(string usageType, int tier) => string.Create(CultureInfo.InvariantCulture, $"{usageType}:Tier{tier + 1}");

    private PricedLine MeteredLine(
        MeteredUsage usage, MonthPiece piece, string usageType, decimal quantity, string unit, decimal rate, string version, bool correction = false) => new()
        {
            IsVolumeTierCorrection = correction,
            SourceEventIds = usage.SourceEventIds,
            CustomerId = usage.CustomerId,
            Service = usage.Service,
            Region = usage.Region,
            ResourceId = usage.ResourceId,
            UsageType = usageType,
            Month = piece.Month,
            UsageStart = piece.From,
            UsageEnd = piece.Until,
            Quantity = quantity,
            Unit = unit,
            Rate = rate,
            Currency = _card.Currency,
            RateCardVersion = version,
        };

    private static string RegionName(string region) => region.Length == 0 ? "any region" : region;

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
