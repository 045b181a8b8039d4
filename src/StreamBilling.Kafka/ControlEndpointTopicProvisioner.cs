using System.Net.Http.Json;
using StreamBilling.Contracts;

namespace StreamBilling.Kafka;

/// <summary>Creates topics on a shared embedded broker through its control endpoint (<c>POST /v1/topics</c>), which calls the mock's C API. Cleanup policy is ignored: the mock never compacts.</summary>
internal sealed class ControlEndpointTopicProvisioner(EmbeddedBrokerDescriptor broker) : ITopicProvisioner
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task EnsureTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var request = topics.Select(t => new { name = t.Name, partitions = t.Partitions, replicationFactor = t.ReplicationFactor }).ToList();
        if (request.Count == 0)
        {
            return;
        }

        using var response = await Http.PostAsJsonAsync(new Uri(new Uri(broker.ControlUrl), "v1/topics"), request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var reason = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"The embedded broker at {broker.ControlUrl} did not create the topics ({(int)response.StatusCode}): {reason}");
        }
    }
}
