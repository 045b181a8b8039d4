namespace StreamBilling.Billing;

/// <summary>Running totals of one bill line.</summary>
internal sealed class LineTotals(decimal rate)
{
    public decimal Rate { get; } = rate;

    public HashSet<string> Instances { get; } = new(StringComparer.Ordinal);

    public long UsedTicks { get; private set; }

    public long BilledHours { get; private set; }

    public long FreeHours { get; set; }

    public void Add(string instance, long usedTicks, long billedHours)
    {
        Instances.Add(instance);
        UsedTicks += usedTicks;
        BilledHours += billedHours;
    }
}
