using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The CdnCapWindows application in the host (section <c>Pipeline:CdnCaps</c>); see <see cref="CdnCapOptions"/>.</summary>
public sealed class CdnCapsSettings : StreamApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:CdnCaps";

    /// <summary>The caps (<c>Pipeline:CdnCaps:Limits:0:Window</c>, …); unset: seed 001's 100 GB / 15 min and 500 GB / 3 h. Replaces the defaults entirely.</summary>
    public IList<CdnCapLimitSettings>? Limits { get; set; }

    /// <summary><see cref="CdnCapOptions.Grace"/>.</summary>
    public TimeSpan? Grace { get; set; }

    /// <summary>The topology's options; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal CdnCapOptions ToOptions()
    {
        var defaults = new CdnCapOptions();
        var options = new CdnCapOptions
        {
            PersistentStores = PersistentStores,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            Limits = Limits is null ? defaults.Limits : [.. Limits.Select(l => l.ToLimit())],
            Grace = Grace ?? defaults.Grace,
        };
        options.Validate();
        return options;
    }
}
