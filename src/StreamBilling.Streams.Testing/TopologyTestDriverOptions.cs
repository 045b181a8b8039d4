using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Streams.Testing;

/// <summary>Settings of a <see cref="TopologyTestDriver"/>.</summary>
public sealed class TopologyTestDriverOptions
{
    /// <summary>The wall clock; a new one starting at <see cref="InitialWallClockTime"/> when null.</summary>
    public FakeTimeProvider? TimeProvider { get; init; }

    /// <summary>Start of the driver's own wall clock.</summary>
    public DateTimeOffset InitialWallClockTime { get; init; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Directory for RocksDB stores; a temporary directory (deleted on dispose) when null.</summary>
    public string? StateDirectory { get; init; }
}
