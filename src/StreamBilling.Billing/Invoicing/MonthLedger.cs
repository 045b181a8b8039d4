namespace StreamBilling.Billing.Invoicing;

/// <summary>Everything priced for one customer in one month, summed per bill line as lines arrive.</summary>
internal sealed class MonthLedger
{
    public Dictionary<InstanceLineKey, InstanceLineTotals> Instances { get; } = [];

    /// <summary>Free-tier eligible pieces; free hours are handed out when a bill is computed.</summary>
    public List<FreeTierPiece> FreeTier { get; } = [];

    public Dictionary<ServiceLineKey, ServiceLineTotals> Services { get; } = [];

    public bool HasLines => Instances.Count > 0 || Services.Count > 0;
}

/// <summary>What one instance line groups: region, type, pricing.</summary>
internal readonly record struct InstanceLineKey(string Region, string InstanceType, Pricing Pricing);

/// <summary>What one service line groups: service, region, usage type.</summary>
internal readonly record struct ServiceLineKey(BillableService Service, string Region, string UsageType);

/// <summary>
/// A free-tier eligible slice waiting for its share of the month's free hours. Order: piece start, instance, region,
/// then slice start and arrival, so every slice of one piece is served together, as the whole piece is in a batch.
/// </summary>
internal readonly record struct FreeTierPiece(
    InstanceOs Allowance,
    DateTimeOffset PieceStart,
    string Instance,
    string Region,
    DateTimeOffset SliceStart,
    long Sequence,
    long Hours,
    decimal Rate,
    InstanceLineKey Line);

/// <summary>Running totals of one instance line.</summary>
internal sealed class InstanceLineTotals
{
    public HashSet<string> Instances { get; } = new(StringComparer.Ordinal);

    public long UsedTicks { get; private set; }

    public long BilledHours { get; private set; }

    /// <summary>Sum of hours x rate, unrounded: the line is rounded once, so slicing never changes the amount.</summary>
    public decimal ExactAmount { get; private set; }

    public decimal FirstRate { get; private set; }

    public bool MixedRates { get; private set; }

    /// <summary>Ids of the lines added with a replay check (the batch adds none).</summary>
    public List<string> LineIds { get; } = [];

    public void Add(string instance, long usedTicks, long billedHours, decimal rate)
    {
        if (Instances.Count == 0)
        {
            FirstRate = rate;
        }
        else if (rate != FirstRate)
        {
            MixedRates = true;
        }

        Instances.Add(instance);
        UsedTicks += usedTicks;
        BilledHours += billedHours;
        ExactAmount += billedHours * rate;
    }

    /// <summary>The rate shown: the one rate, or the hour-weighted average when the rate changed within the month.</summary>
    public decimal ShownRate => MixedRates && BilledHours > 0 ? Money.Round(ExactAmount / BilledHours) : FirstRate;
}

/// <summary>Running totals of one service line.</summary>
internal sealed class ServiceLineTotals(string unit)
{
    public string Unit { get; } = unit;

    public HashSet<string> Resources { get; } = new(StringComparer.Ordinal);

    public decimal Quantity { get; private set; }

    public decimal ExactAmount { get; private set; }

    public decimal FirstRate { get; private set; }

    public bool MixedRates { get; private set; }

    public List<string> LineIds { get; } = [];

    public void Add(string resource, decimal quantity, decimal rate)
    {
        if (Resources.Count == 0)
        {
            FirstRate = rate;
        }
        else if (rate != FirstRate)
        {
            MixedRates = true;
        }

        Resources.Add(resource);
        Quantity += quantity;
        ExactAmount += quantity * rate;
    }

    public decimal ShownRate => MixedRates && Quantity > 0 ? ExactAmount / Quantity : FirstRate;
}
