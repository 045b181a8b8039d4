using System.Collections.Concurrent;

namespace StreamBilling.Streams.Kafka;

/// <summary>The stream applications a host runs, by name: for health checks, progress reports and tests.</summary>
public sealed class KafkaStreamsRegistry
{
    private readonly ConcurrentDictionary<string, KafkaStreams> _applications = new(StringComparer.Ordinal);

    /// <summary>The applications started so far.</summary>
    public IReadOnlyDictionary<string, KafkaStreams> Applications => _applications;

    /// <summary>True when every registered application is running.</summary>
    public bool AllRunning => _applications.Values.All(a => a.State == KafkaStreamsState.Running);

    internal void Add(string name, KafkaStreams streams)
    {
        if (!_applications.TryAdd(name, streams))
        {
            throw new InvalidOperationException($"A stream application named '{name}' is already registered.");
        }
    }
}
