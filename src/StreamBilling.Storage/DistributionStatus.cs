namespace StreamBilling.Storage;

/// <summary>Whether a customer's CDN distribution serves traffic.</summary>
public enum DistributionStatus
{
    /// <summary>Serving traffic (the state of every distribution until a cap disables it).</summary>
    Enabled,

    /// <summary>Disabled by a cap decision until an operator re-enables it.</summary>
    Disabled,
}
