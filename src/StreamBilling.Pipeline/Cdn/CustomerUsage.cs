namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// One customer's unbilled Cost Explorer bytes: per period from <see cref="NextPeriodStart"/> on, plus bytes that arrived
/// for periods already billed (carried into the next message), and the eventIds seen (duplicates).
/// </summary>
internal sealed class CustomerUsage
{
    /// <summary>Start of the next message's period; every earlier period has been sent.</summary>
    public DateTimeOffset NextPeriodStart { get; set; }

    /// <summary>Bytes per period start (UTC ticks), for periods not yet sent.</summary>
    public Dictionary<long, long> PendingBytes { get; set; } = [];

    /// <summary>Bytes reported late for periods already sent; added to the next message so nothing is lost or billed twice.</summary>
    public long CarriedBytes { get; set; }

    /// <summary>eventIds counted, with the start of the period they reported (for pruning).</summary>
    public Dictionary<string, DateTimeOffset> Seen { get; set; } = new(StringComparer.Ordinal);
}
