namespace StreamBilling.Pipeline.Cdn;

/// <summary>State of one customer's cap window: bytes so far and whether the window already exceeded its limit.</summary>
internal sealed record CapWindow(long Total, bool Crossed);
