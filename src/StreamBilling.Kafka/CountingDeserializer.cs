using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Counts consumed records per topic where every record passes: the value deserializer.</summary>
internal sealed class CountingDeserializer<T>(IDeserializer<T> inner, KafkaTelemetry telemetry) : IDeserializer<T>
{
    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        telemetry.RecordConsumed(context.Topic);
        return inner.Deserialize(data, isNull, context);
    }
}
