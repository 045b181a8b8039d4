namespace StreamBilling.Host.Simulation;

/// <summary>The host's usage simulator (section <c>Simulator</c>).</summary>
public sealed class UsageSimulatorOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Whether the simulator runs; defaults to on with the embedded cluster and off against a real one.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Simulated customers.</summary>
    public int Customers { get; set; } = 50;

    /// <summary>Target events per second.</summary>
    public double EventsPerSecond { get; set; } = 2000;

    /// <summary>Random seed: the same settings give the same events.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated time to generate usage for; the simulator idles once it is all published.</summary>
    public TimeSpan SimulatedDuration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Start of simulated time (UTC); default: <see cref="SimulatedDuration"/> before now, so record timestamps are recent.</summary>
    public DateTimeOffset? Start { get; set; }
}
