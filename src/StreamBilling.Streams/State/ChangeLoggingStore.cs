namespace StreamBilling.Streams;

/// <summary>
/// The change-logging layer around any store, as Kafka Streams layers <c>ChangeLoggingKeyValueBytesStore</c> over the
/// store it wraps: reads and writes go to the inner store; the layer remembers which entries changed and on
/// <see cref="Flush"/> writes one changelog record per changed entry with its current value, or a tombstone (Kafka
/// Streams' cache-then-log behaviour). Restores go straight to the inner store, which reads the changelog format.
/// </summary>
/// <typeparam name="TEntry">What identifies an entry: the key, or (key, window start).</typeparam>
internal abstract class ChangeLoggingStore<TEntry>(IRuntimeStore inner, StoreInitContext context) : ILoggedStore
    where TEntry : notnull
{
    // Entries changed since the last flush, in the order they first changed (a set that is only added to and cleared
    // enumerates in insertion order), so the changelog gets the same records in the same order on every run.
    private readonly HashSet<TEntry> _changed = [];

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public StoreKind Kind => inner.Kind;

    /// <summary>Topic the serdes see: the changelog topic (a schema-registry serde registers under it).</summary>
    protected string SerdeTopic { get; } = context.SerdeTopic(inner.Name);

    public void Flush()
    {
        if (_changed.Count > 0)
        {
            foreach (var entry in _changed)
            {
                if (TryGetChangelogRecord(entry, out var key, out var value))
                {
                    context.Log(key, value);
                }
            }

            _changed.Clear();
        }

        inner.Flush();
    }

    public void Relog(byte[] changelogKey) => _changed.Add(EntryOf(changelogKey));

    public void Restore(IReadOnlyList<ChangelogRecord> batch) => inner.Restore(batch);

    public void Dispose() => inner.Dispose();

    protected void Changed(TEntry entry) => _changed.Add(entry);

    /// <summary>The changelog key and current value (null: a tombstone) of an entry; false when it is not to be logged.</summary>
    protected abstract bool TryGetChangelogRecord(TEntry entry, out byte[] key, out byte[]? value);

    /// <summary>The entry a changelog key names.</summary>
    protected abstract TEntry EntryOf(byte[] changelogKey);
}
