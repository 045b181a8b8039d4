namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Fault injection: asked at every <see cref="CrashPoint"/> whether the stream thread of an application dies there.
/// Recovery tests pass one to <see cref="KafkaStreams"/> (or register one with the host's services); production runs
/// with <see cref="NoCrashPoints"/>.
/// </summary>
internal interface ICrashPoints
{
    /// <summary>True when <paramref name="applicationId"/>'s thread is to die at <paramref name="point"/>.</summary>
    bool DiesAt(string applicationId, CrashPoint point);
}

/// <summary>Production: the thread never dies on purpose.</summary>
internal sealed class NoCrashPoints : ICrashPoints
{
    public static readonly NoCrashPoints Instance = new();

    public bool DiesAt(string applicationId, CrashPoint point) => false;
}
