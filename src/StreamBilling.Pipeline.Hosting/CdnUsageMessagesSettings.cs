using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The CDN usage billing message application in the host (section <c>Pipeline:CdnUsageMessages</c>); see <see cref="CdnUsageMessageOptions"/>.</summary>
public sealed class CdnUsageMessagesSettings : StreamApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:CdnUsageMessages";

    /// <summary><see cref="CdnUsageMessageOptions.Period"/>.</summary>
    public TimeSpan? Period { get; set; }

    /// <summary><see cref="CdnUsageMessageOptions.SettleDelay"/>.</summary>
    public TimeSpan? SettleDelay { get; set; }

    /// <summary><see cref="CdnUsageMessageOptions.DuplicateRetention"/>.</summary>
    public TimeSpan? DuplicateRetention { get; set; }

    /// <summary><see cref="CdnUsageMessageOptions.CheckInterval"/>.</summary>
    public TimeSpan? CheckInterval { get; set; }

    /// <summary>The topology's options; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal CdnUsageMessageOptions ToOptions()
    {
        var defaults = new CdnUsageMessageOptions();
        var options = new CdnUsageMessageOptions
        {
            PersistentStore = PersistentStores,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            Period = Period ?? defaults.Period,
            SettleDelay = SettleDelay ?? defaults.SettleDelay,
            DuplicateRetention = DuplicateRetention ?? defaults.DuplicateRetention,
            CheckInterval = CheckInterval ?? defaults.CheckInterval,
        };
        options.Validate();
        return options;
    }
}
