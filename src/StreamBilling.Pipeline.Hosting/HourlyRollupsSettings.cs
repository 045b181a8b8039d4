using StreamBilling.Pipeline.Rollups;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The HourlyRollup application in the host (section <c>Pipeline:HourlyRollups</c>); see <see cref="HourlyRollupOptions"/>.</summary>
public sealed class HourlyRollupsSettings : StreamApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:HourlyRollups";

    /// <summary><see cref="HourlyRollupOptions.Grace"/>.</summary>
    public TimeSpan? Grace { get; set; }

    /// <summary><see cref="HourlyRollupOptions.Currency"/>.</summary>
    public string? Currency { get; set; }

    /// <summary>The topology's options; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal HourlyRollupOptions ToOptions()
    {
        var defaults = new HourlyRollupOptions();
        var options = new HourlyRollupOptions
        {
            PersistentStores = PersistentStores,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            Grace = Grace ?? defaults.Grace,
            Currency = Currency ?? defaults.Currency,
        };
        options.Validate();
        return options;
    }
}
