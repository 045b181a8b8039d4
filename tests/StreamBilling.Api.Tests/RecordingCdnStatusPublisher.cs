using System.Collections.Concurrent;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Api.Tests;

/// <summary>Keeps what the API publishes (the Kafka publisher is covered by the integration tests).</summary>
internal sealed class RecordingCdnStatusPublisher : ICdnStatusPublisher
{
    private readonly ConcurrentQueue<CdnStatusChanged> _changes = new();

    public IReadOnlyList<CdnStatusChanged> Changes => [.. _changes];

    public Task PublishAsync(CdnStatusChanged change, CancellationToken cancellationToken = default)
    {
        _changes.Enqueue(change);
        return Task.CompletedTask;
    }
}
