namespace StreamBilling.IntegrationTests;

/// <summary>Where the integration tests' Kafka came from.</summary>
public enum KafkaSource
{
    /// <summary>KAFKA_BOOTSTRAP_SERVERS.</summary>
    Environment,

    /// <summary>A Testcontainers Kafka on the local Docker engine.</summary>
    Testcontainers,

    /// <summary>librdkafka's in-process mock cluster.</summary>
    Embedded,
}
