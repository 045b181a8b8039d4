using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamBilling.Kafka;

/// <summary>Meter <c>StreamBilling.Kafka</c> (produced/consumed/dead-lettered records per topic) and the ActivitySource for produce/consume spans.</summary>
public sealed class KafkaTelemetry : IDisposable
{
    /// <summary>Name of the Meter and of the ActivitySource.</summary>
    public const string Name = "StreamBilling.Kafka";

    private static readonly ActivitySource Source = new(Name);
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a private meter when none is given.</summary>
    public KafkaTelemetry(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        Produced = _meter.CreateCounter<long>("streambilling.kafka.produced", "{record}", "Records acknowledged by the cluster, per topic.");
        Consumed = _meter.CreateCounter<long>("streambilling.kafka.consumed", "{record}", "Records consumed, per topic.");
        DeadLettered = _meter.CreateCounter<long>("streambilling.kafka.dead_lettered", "{record}", "Records sent to a dead-letter topic by a consumer, per source topic and reason (deserialization, invalid).");
        CommitsSkipped = _meter.CreateCounter<long>("streambilling.kafka.commits_skipped", "{commit}", "Offset commits refused because the group was rebalancing (its records are read again by their next owner), per group and reason.");
    }

    /// <summary>The ActivitySource used for produce and consume spans.</summary>
    public static ActivitySource ActivitySource => Source;

    internal Counter<long> Produced { get; }

    internal Counter<long> Consumed { get; }

    internal Counter<long> DeadLettered { get; }

    internal Counter<long> CommitsSkipped { get; }

    internal void RecordProduced(string topic, long count = 1) => Produced.Add(count, new KeyValuePair<string, object?>("topic", topic));

    internal void RecordConsumed(string topic) => Consumed.Add(1, new KeyValuePair<string, object?>("topic", topic));

    internal void RecordDeadLettered(string topic, string reason) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("reason", reason));

    internal void RecordCommitSkipped(string group, string reason) =>
        CommitsSkipped.Add(1, new KeyValuePair<string, object?>("group", group), new KeyValuePair<string, object?>("reason", reason));

    internal static Activity? StartProduce(string topic) => StartActivity("produce", ActivityKind.Producer, topic);

    internal static Activity? StartConsume(string topic) => StartActivity("process", ActivityKind.Consumer, topic);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static Activity? StartActivity(string operation, ActivityKind kind, string topic)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"{topic} {operation}", kind);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.operation.type", operation);
        return activity;
    }
}
