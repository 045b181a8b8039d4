namespace StreamBilling.Billing.UsagePricing;

/// <summary>
/// A MediaLive channel run: billed in started hours like an instance (per session, per month), times the
/// number of inputs at the input rate plus the number of outputs at the output rate.
/// </summary>
/// <param name="SourceEventIds">Events the run came from (start, stop).</param>
/// <param name="CustomerId">Customer billed.</param>
/// <param name="ChannelId">MediaLive channel id.</param>
/// <param name="Region">Region.</param>
/// <param name="SessionStart">When the channel started.</param>
/// <param name="From">Start of the slice to price, not before <paramref name="SessionStart"/>.</param>
/// <param name="Until">End of the slice (exclusive).</param>
/// <param name="InputCount">Inputs attached to the channel.</param>
/// <param name="OutputCount">Outputs the channel encodes.</param>
public sealed record ChannelUsage(
    IReadOnlyList<string> SourceEventIds,
    string CustomerId,
    string ChannelId,
    string Region,
    DateTimeOffset SessionStart,
    DateTimeOffset From,
    DateTimeOffset Until,
    int InputCount,
    int OutputCount);
