using StreamBilling.Billing.RateCards;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Settings of a stream application that prices with the rate card (pricing, invoices).</summary>
public abstract class RatedApplicationSettings : StreamApplicationSettings
{
    /// <summary>The versioned rate card (JSON, <c>infra/rate-card.json</c> format); relative to the working directory or the build output.</summary>
    public string RateCardPath { get; set; } = RateCardFiles.DefaultPath;

    /// <summary>Value of the <c>source</c> field of every record the application writes; unset: the topology's default.</summary>
    public string? Source { get; set; }

    /// <summary>Loads <see cref="RateCardPath"/>; throws <see cref="ArgumentException"/> naming the setting when it cannot.</summary>
    internal RateCard LoadRateCard() => RateCardFiles.Load(RateCardPath, nameof(RateCardPath));
}
