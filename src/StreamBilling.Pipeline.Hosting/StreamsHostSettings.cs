namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// What the host's stream applications share (section <c>Streams</c>): where their state lives and who this instance
/// is. Each application keeps its state in <c>&lt;StateDirectory&gt;/&lt;applicationId&gt;/&lt;InstanceId&gt;</c> and reuses
/// it on restart.
/// </summary>
public sealed class StreamsHostSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Streams";

    /// <summary>
    /// Root of the applications' state directories, relative to the working directory; empty: a temporary directory per
    /// start, deleted on stop (tests).
    /// </summary>
    public string StateDirectory { get; set; } = Path.Combine(".streambilling", "state");

    /// <summary>
    /// This instance's identity, stable across restarts (state directory name, transactional id); an application's own
    /// <see cref="StreamApplicationSettings.InstanceId"/> overrides it. Default: the machine name, so two hosts sharing
    /// a cluster differ and a restarted host finds its state again.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;
}
