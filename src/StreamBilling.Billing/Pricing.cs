namespace StreamBilling.Billing;

/// <summary>How an instance is paid for: by the hour it runs, or for a whole reserved term.</summary>
public enum Pricing
{
    /// <summary>Billed per started hour of each usage event.</summary>
    OnDemand,

    /// <summary>Billed 24 hours a day for every month of the reserved term.</summary>
    Reserved,
}
