using System.Collections.Concurrent;

namespace StreamBilling.Streams.Kafka;

/// <summary>The stream applications a host runs, by name: for health checks, progress reports and tests.</summary>
public sealed class KafkaStreamsRegistry
{
    private readonly ConcurrentDictionary<string, KafkaStreams> _applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _expected = new(StringComparer.Ordinal);

    /// <summary>The applications started so far.</summary>
    public IReadOnlyDictionary<string, KafkaStreams> Applications => _applications;

    /// <summary>
    /// Names of every application the host runs, started or not (its hosted service was created): an application that
    /// has not started yet is missing from <see cref="Applications"/> but listed here.
    /// </summary>
    public IReadOnlyCollection<string> Expected => [.. _expected.Keys.Order(StringComparer.Ordinal)];

    /// <summary>True when every registered application is running.</summary>
    public bool AllRunning => _applications.Values.All(a => a.State == KafkaStreamsState.Running);

    internal void Expect(string name) => _expected.TryAdd(name, true);

    internal void Add(string name, KafkaStreams streams)
    {
        Expect(name);
        if (!_applications.TryAdd(name, streams))
        {
            throw new InvalidOperationException($"A stream application named '{name}' is already registered.");
        }
    }
}
