namespace StreamBilling.Streams.Tests;

/// <summary>Stores built straight from their builders, a changelog that captures what they log, and a state directory deleted afterwards.</summary>
internal sealed class StoreScratch : IDisposable, IChangelogWriter
{
    private readonly List<IDisposable> _stores = [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sb-store-tests-" + Guid.NewGuid().ToString("N"));

    public List<ChangelogRecord> Changelog { get; } = [];

    /// <summary>Builds a store for task 0_<paramref name="partition"/>, logged to <paramref name="changelogTopic"/> when it is not null.</summary>
    public IDisposable Build(StoreBuilder builder, string? changelogTopic, DateTimeOffset streamTime, int partition = 0)
    {
        var store = builder.Build(new StoreInitContext(new TaskId(0, partition), changelogTopic, changelogTopic is null ? null : this, Directory, () => streamTime));
        _stores.Add(store);
        return store;
    }

    /// <summary>Closes one store before the others, as a task closing it would.</summary>
    public void Close(IDisposable store)
    {
        _stores.Remove(store);
        store.Dispose();
    }

    public void Write(in ChangelogRecord record) => Changelog.Add(record);

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
