namespace StreamBilling.Billing;

/// <summary>How an instance is paid for: by the hour it runs, for a whole reserved term, or at the spot price.</summary>
public enum Pricing
{
    /// <summary>Billed per started hour of each usage event at the on-demand rate.</summary>
    OnDemand,

    /// <summary>Billed 24 hours a day for every month of the reserved term.</summary>
    Reserved,

    /// <summary>Billed per started hour like on-demand, each hour at the spot price in force when it starts; never free tier.</summary>
    Spot,
}
