using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The PricingStream application in the host (section <c>Pipeline:Pricing</c>); see <see cref="PricingOptions"/>.</summary>
public sealed class PricingSettings : RatedApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:Pricing";

    /// <summary><see cref="PricingOptions.CdnMonthRetention"/> (months of CDN month-to-date state kept behind a customer's newest).</summary>
    public int? CdnMonthRetention { get; set; }

    /// <summary><see cref="PricingOptions.MediaRunRetention"/> (how long a priced media run is kept after its end, stream time).</summary>
    public TimeSpan? MediaRunRetention { get; set; }

    /// <summary><see cref="PricingOptions.UnpairedMediaRunRetention"/> (how long a media start waits for its end, or an end for its start).</summary>
    public TimeSpan? UnpairedMediaRunRetention { get; set; }

    /// <summary>The topology's options (loads the rate card); throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal PricingOptions ToOptions()
    {
        var card = LoadRateCard();
        var defaults = new PricingOptions { RateCard = card };
        var options = new PricingOptions
        {
            PersistentStore = PersistentStores,
            RateCard = card,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            Source = Source ?? defaults.Source,
            CdnMonthRetention = CdnMonthRetention ?? defaults.CdnMonthRetention,
            MediaRunRetention = MediaRunRetention ?? defaults.MediaRunRetention,
            UnpairedMediaRunRetention = UnpairedMediaRunRetention ?? defaults.UnpairedMediaRunRetention,
        };
        options.Validate();
        return options;
    }
}
