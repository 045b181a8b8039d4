namespace StreamBilling.Streams.Kafka;

/// <summary>What reading one store's changelog partition found.</summary>
internal sealed class StoreRestore(string store)
{
    public string Store { get; } = store;

    /// <summary>Records applied so far.</summary>
    public long Applied { get; set; }

    /// <summary>The last commit marker read, or null.</summary>
    public CommitMarker? LastMarker { get; set; }

    /// <summary>Records after the last marker, not applied yet.</summary>
    public List<ChangelogRecord> Tail { get; } = [];
}
