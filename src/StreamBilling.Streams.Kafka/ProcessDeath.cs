namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Whether the stream thread is dying as a killed process would (an injected crash): from then on nothing is committed,
/// rebalance callbacks do nothing and the group is not left politely.
/// </summary>
internal sealed class ProcessDeath(ICrashPoints points, string applicationId)
{
    private volatile bool _dying;

    public bool Dying => _dying;

    /// <summary>Dies at <paramref name="point"/> if the injected crash points say so: throws, as the process would stop there.</summary>
    public void DieIfAt(CrashPoint point)
    {
        if (points.DiesAt(applicationId, point))
        {
            _dying = true;
            throw new KafkaStreamsException($"Simulated crash at {point}.");
        }
    }

    /// <summary>True (and dying from now on) when the thread is to stop as a killed process would.</summary>
    public bool DiesOnStop()
    {
        if (points.DiesAt(applicationId, CrashPoint.OnStop))
        {
            _dying = true;
        }

        return _dying;
    }
}
