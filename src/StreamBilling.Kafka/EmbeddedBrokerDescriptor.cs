using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamBilling.Kafka;

/// <summary>
/// What a <c>streambilling broker</c> process offers its clients, published as one JSON record on
/// <see cref="DiscoveryTopic"/> and written next to the address file (<c>broker.json</c>). A client given only the
/// bootstrap address reads it to learn that the cluster is librdkafka's mock (no transactions, no compaction, no
/// CreateTopics) and where its topic-creation endpoint and Schema Registry are.
/// </summary>
public sealed record EmbeddedBrokerDescriptor
{
    /// <summary>The one-partition topic holding the descriptor; a cluster without it is treated as a real one.</summary>
    public const string DiscoveryTopic = "__streambilling_broker";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Comma-separated <c>127.0.0.1:port</c> list of the brokers.</summary>
    [JsonPropertyName("bootstrapServers")]
    public required string BootstrapServers { get; init; }

    /// <summary>Loopback URL of the control endpoint (<c>GET /v1/broker</c>, <c>POST /v1/topics</c>).</summary>
    [JsonPropertyName("controlUrl")]
    public required string ControlUrl { get; init; }

    /// <summary>Loopback URL of the Schema Registry REST API the broker process serves.</summary>
    [JsonPropertyName("schemaRegistryUrl")]
    public required string SchemaRegistryUrl { get; init; }

    /// <summary>Whether the cluster runs transactions (the mock does not: read_committed shows aborted records).</summary>
    [JsonPropertyName("transactions")]
    public bool Transactions { get; init; }

    /// <summary>Whether compacted topics are compacted (the mock keeps every record).</summary>
    [JsonPropertyName("compaction")]
    public bool Compaction { get; init; }

    /// <summary>Whether the Kafka CreateTopics request works (the mock rejects it; topics are created through <see cref="ControlUrl"/>).</summary>
    [JsonPropertyName("createTopics")]
    public bool CreateTopics { get; init; }

    /// <summary>The descriptor as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a descriptor written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a descriptor.</exception>
    public static EmbeddedBrokerDescriptor FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<EmbeddedBrokerDescriptor>(json, Json)
                ?? throw new InvalidDataException("The broker descriptor is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The broker descriptor is not valid JSON: " + e.Message, e);
        }
    }
}
