namespace StreamBilling.Streams.Kafka;

/// <summary>Where a simulated crash hits a commit (recovery tests).</summary>
internal enum CrashPoint
{
    /// <summary>No simulated crash.</summary>
    None,

    /// <summary>Changelog records and output acknowledged; no commit marker, offsets not committed.</summary>
    AfterChangelogs,

    /// <summary>Changelogs and commit markers acknowledged; offsets not committed.</summary>
    AfterMarkers,
}
