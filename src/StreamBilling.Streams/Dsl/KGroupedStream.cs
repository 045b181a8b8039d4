using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>A stream grouped by key, ready for windowing and aggregation.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Kafka Streams names (KStream) that the topology code is written against; not a System.IO.Stream.")]
public sealed class KGroupedStream<TKey, TValue>
    where TKey : notnull
{
    private readonly StreamsBuilder _builder;
    private readonly string _nodeName;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal KGroupedStream(StreamsBuilder builder, string nodeName, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    {
        _builder = builder;
        _nodeName = nodeName;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    /// <summary>Windows the grouped stream by event time.</summary>
    public TimeWindowedKStream<TKey, TValue> WindowedBy(TimeWindows windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return new TimeWindowedKStream<TKey, TValue>(_builder, _nodeName, _keySerde, _valueSerde, windows);
    }
}
