using StreamBilling.Events.Outputs;

namespace StreamBilling.Api;

/// <summary>Publishes a <see cref="CdnStatusChanged"/> the usage API caused (the host: to <c>cdn.status</c>, key customerId).</summary>
public interface ICdnStatusPublisher
{
    /// <summary>Publishes <paramref name="change"/> and completes once it is delivered.</summary>
    Task PublishAsync(CdnStatusChanged change, CancellationToken cancellationToken = default);
}
