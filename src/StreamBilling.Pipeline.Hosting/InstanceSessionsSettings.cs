using StreamBilling.Pipeline.Sessions;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The InstanceSessionJoin application in the host (section <c>Pipeline:InstanceSessions</c>); see <see cref="SessionJoinOptions"/>.</summary>
public sealed class InstanceSessionsSettings : StreamApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:InstanceSessions";

    /// <summary><see cref="SessionJoinOptions.InterimDelay"/>.</summary>
    public TimeSpan? InterimDelay { get; set; }

    /// <summary><see cref="SessionJoinOptions.DuplicateRetention"/>.</summary>
    public TimeSpan? DuplicateRetention { get; set; }

    /// <summary><see cref="SessionJoinOptions.OrphanRetention"/>.</summary>
    public TimeSpan? OrphanRetention { get; set; }

    /// <summary>The topology's options; throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal SessionJoinOptions ToOptions()
    {
        var defaults = new SessionJoinOptions();
        var options = new SessionJoinOptions
        {
            PersistentStore = PersistentStores,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            InterimDelay = InterimDelay ?? defaults.InterimDelay,
            DuplicateRetention = DuplicateRetention ?? defaults.DuplicateRetention,
            OrphanRetention = OrphanRetention ?? defaults.OrphanRetention,
        };
        options.Validate();
        return options;
    }
}
