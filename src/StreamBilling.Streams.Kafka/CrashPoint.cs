namespace StreamBilling.Streams.Kafka;

/// <summary>Where an injected crash (<see cref="ICrashPoints"/>) kills the stream thread, as a killed process would die there.</summary>
internal enum CrashPoint
{
    /// <summary>No simulated crash.</summary>
    None,

    /// <summary>Marker-based commit: changelog records and output acknowledged; no commit marker, offsets not committed.</summary>
    AfterChangelogs,

    /// <summary>Marker-based commit: changelogs and commit markers acknowledged; offsets not committed.</summary>
    AfterMarkers,

    /// <summary>On stop: nothing is committed and the group is not left (its session expires).</summary>
    OnStop,
}
