namespace StreamBilling.Billing.RateCards;

/// <summary>How the running time of an on-demand or spot instance is turned into billed time.</summary>
public enum InstanceBilling
{
    /// <summary>Whole started hours per month piece, counted from the session start (or the month start when later). The default.</summary>
    PerStartedHour,

    /// <summary>
    /// Whole seconds with a 60-second minimum per session (how AWS bills Linux on-demand and spot since 2017): a
    /// session's billed seconds are <c>max(60, ceil(seconds))</c>, counted from the session start across month ends.
    /// </summary>
    PerSecond,
}
