namespace StreamBilling.Streams.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly StoreScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private IDisposable Build(StoreBuilder builder, int partition = 0, bool logging = true) =>
        _scratch.Build(builder, logging ? "app-store-changelog" : null, T.At("2024-08-01T00:00:00Z"), partition);

    private IKeyValueStore<string, long> KeyValue(bool persistent, string name = "kv", int partition = 0)
    {
        var builder = persistent ? Stores.RocksDbKeyValue<string, long>(name) : Stores.InMemoryKeyValue<string, long>(name);
        var store = Build(builder, partition);
        return (IKeyValueStore<string, long>)store;
    }

    private IWindowStore<string, long> Window(bool persistent, TimeSpan retention, string name = "win", int partition = 0)
    {
        var builder = persistent
            ? Stores.RocksDbWindow<string, long>(name, retention, T.Min(10))
            : Stores.InMemoryWindow<string, long>(name, retention, T.Min(10));
        var store = Build(builder, partition);
        return (IWindowStore<string, long>)store;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_PutGetDelete(bool persistent)
    {
        var store = KeyValue(persistent);

        store.Put("a", 1);
        store.Put("a", 2);

        Assert.True(store.TryGet("a", out var value));
        Assert.Equal(2, value);
        Assert.True(store.Delete("a"));
        Assert.False(store.Delete("a"));
        Assert.False(store.TryGet("a", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_RangeIsInclusiveAndOrdered(bool persistent)
    {
        var store = KeyValue(persistent);
        foreach (var key in new[] { "d", "a", "c", "b", "e" })
        {
            store.Put(key, key[0]);
        }

        Assert.Equal(["b", "c", "d"], store.Range("b", "d").Select(kv => kv.Key));
        Assert.Equal(["a", "b", "c", "d", "e"], store.All().Select(kv => kv.Key));
        Assert.True(store.ApproximateCount > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_RangeAfterAddsAndDeletes_SeesTheCurrentKeys_AndTheStoreMayChangeDuringAScan(bool persistent)
    {
        var store = KeyValue(persistent);
        store.Put("b", 'b');
        store.Put("d", 'd');
        Assert.Equal(["b", "d"], store.Range("a", "z").Select(kv => kv.Key));

        store.Put("c", 'c');
        store.Put("a", 'a');
        Assert.True(store.Delete("d"));
        store.Put("b", 'B');
        Assert.Equal([("a", 'a'), ("b", 'B'), ("c", 'c')], store.Range("a", "c").Select(kv => (kv.Key, kv.Value)));
        Assert.Empty(store.Range("z", "a"));

        foreach (var (key, _) in store.All())
        {
            store.Delete(key);
            store.Put(key + "x", 'x');
        }

        Assert.Equal(["ax", "bx", "cx"], store.All().Select(kv => kv.Key));
    }

    [Fact]
    public void InMemoryKeyValue_CountIsExact()
    {
        var store = KeyValue(persistent: false);
        store.Put("a", 1);
        store.Put("b", 1);
        store.Delete("a");

        Assert.Equal(1, store.ApproximateCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_FlushWritesLatestValuePerKeyAndTombstones(bool persistent)
    {
        var store = KeyValue(persistent);
        store.Put("a", 1);
        store.Put("a", 2);
        store.Put("b", 3);
        store.Delete("b");

        store.Flush();

        Assert.Equal(2, _scratch.Changelog.Count);
        Assert.Equal(2, Serdes.BigEndianInt64.Deserialize(_scratch.Changelog.Single(r => r.Key.AsSpan().SequenceEqual("a"u8)).Value, default));
        Assert.Null(_scratch.Changelog.Single(r => r.Key.AsSpan().SequenceEqual("b"u8)).Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_RestoreFromChangelog_RebuildsState(bool persistent)
    {
        var source = KeyValue(persistent: false, "source");
        source.Put("a", 1);
        source.Put("b", 2);
        source.Flush();
        source.Delete("a");
        source.Flush();

        var restored = KeyValue(persistent, "restored", partition: 1);
        ((IRuntimeStore)restored).Restore(_scratch.Changelog);

        Assert.False(restored.TryGet("a", out _));
        Assert.True(restored.TryGet("b", out var b));
        Assert.Equal(2, b);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeyValue_ReadsAfterWritesDeletesAndARestore_SeeTheLatestValue_NeverAnEarlierOne(bool persistent)
    {
        var source = KeyValue(persistent: false, "source");
        source.Put("a", 7);
        source.Put("c", 9);
        source.Flush();

        // Each later write, delete and restore must win over what was read before.
        var store = KeyValue(persistent, "read-back", partition: 1);
        store.Put("a", 1);
        Assert.True(store.TryGet("a", out var a1) && a1 == 1);
        store.Put("a", 2);
        Assert.True(store.TryGet("a", out var a2) && a2 == 2);
        store.Put("b", 3);
        Assert.True(store.TryGet("b", out _));
        Assert.True(store.Delete("b"));
        Assert.False(store.TryGet("b", out _));

        ((IRuntimeStore)store).Restore(_scratch.Changelog);

        Assert.True(store.TryGet("a", out var restored) && restored == 7);
        Assert.True(store.TryGet("c", out var c) && c == 9);
        Assert.Equal([("a", 7L), ("c", 9L)], store.All().Select(kv => (kv.Key, kv.Value)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Window_FetchByKeyAndTimeRange(bool persistent)
    {
        var store = Window(persistent, TimeSpan.FromDays(1));
        store.Put("a", 1, T.At("2024-08-01T10:00:00Z"));
        store.Put("a", 2, T.At("2024-08-01T10:10:00Z"));
        store.Put("ab", 99, T.At("2024-08-01T10:10:00Z"));
        store.Put("a", 3, T.At("2024-08-01T10:20:00Z"));

        var fetched = store.Fetch("a", T.At("2024-08-01T10:05:00Z"), T.At("2024-08-01T10:20:00Z")).ToList();

        Assert.Equal([2L, 3L], fetched.Select(kv => kv.Value));
        Assert.Equal(T.At("2024-08-01T10:20:00Z"), fetched[0].Key.End);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Window_FetchAllIsOrderedByStart(bool persistent)
    {
        var store = Window(persistent, TimeSpan.FromDays(1));
        store.Put("b", 2, T.At("2024-08-01T10:10:00Z"));
        store.Put("a", 1, T.At("2024-08-01T10:00:00Z"));
        store.Put("c", 3, T.At("2024-08-01T10:20:00Z"));

        var all = store.FetchAll(T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T10:10:00Z")).ToList();

        Assert.Equal(["a", "b"], all.Select(kv => kv.Key.Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Window_RetentionExpiresOldWindowsAndRejectsExpiredPuts(bool persistent)
    {
        var store = Window(persistent, TimeSpan.FromHours(1));
        store.Put("a", 1, T.At("2024-08-01T10:00:00Z"));
        store.Put("a", 2, T.At("2024-08-01T10:30:00Z"));

        store.Put("a", 3, T.At("2024-08-01T11:00:00Z"));
        store.Put("a", 4, T.At("2024-08-01T09:00:00Z"));

        Assert.False(store.TryGet("a", T.At("2024-08-01T10:00:00Z"), out _));
        Assert.False(store.TryGet("a", T.At("2024-08-01T09:00:00Z"), out _));
        Assert.Equal([2L, 3L], store.All().Select(kv => kv.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Window_StreamTimeAdvancingStepByStep_ExpiresEachStepsOldWindows_AndOnlyThose(bool persistent)
    {
        // Several keys per start, and many expiries in a row: each one must find the windows the previous ones left.
        var store = Window(persistent, TimeSpan.FromHours(1));
        var start = T.At("2024-08-01T00:00:00Z");
        for (var step = 0; step < 36; step++)
        {
            var now = start + TimeSpan.FromMinutes(10 * step);
            foreach (var key in new[] { "a", "b", "c" })
            {
                store.Put(key, step, now);
            }

            // Kept: starts after now - 1 h, i.e. the last six steps (or all of them so far).
            var kept = Enumerable.Range(Math.Max(0, step - 5), Math.Min(step, 5) + 1).Select(s => (long)s).ToList();
            Assert.Equal(kept, store.All().Select(kv => kv.Value).Distinct());
            Assert.Equal(kept.Count * 3, store.All().Count());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Window_RestoreFromChangelog_RebuildsState(bool persistent)
    {
        var source = Window(persistent: false, TimeSpan.FromDays(1), "source");
        source.Put("a", 1, T.At("2024-08-01T10:00:00Z"));
        source.Put("b", 2, T.At("2024-08-01T10:10:00Z"));
        source.Flush();
        source.Delete("a", T.At("2024-08-01T10:00:00Z"));
        source.Flush();

        var restored = Window(persistent, TimeSpan.FromDays(1), "restored", partition: 1);
        ((IRuntimeStore)restored).Restore(_scratch.Changelog);

        Assert.Equal([("b", 2L)], restored.All().Select(kv => (kv.Key.Key, kv.Value)));
    }

    [Fact]
    public void RocksDbKeyValue_WrittenWithoutWriteAheadLog_ClosedCleanly_KeepsEveryWriteOnReopen()
    {
        // Writes skip RocksDB's WAL, so only the flush on close puts them on disk: a reopened store must see them all.
        var builder = Stores.RocksDbKeyValue<string, long>("reopen-kv", loggingEnabled: false);
        var first = (IKeyValueStore<string, long>)Build(builder, logging: false);
        for (var i = 0; i < 1_000; i++)
        {
            first.Put($"k{i:D4}", i);
        }

        first.Delete("k0007");
        _scratch.Close((IDisposable)first);

        var reopened = (IKeyValueStore<string, long>)Build(builder, logging: false);
        Assert.Equal(999, reopened.All().Count());
        Assert.True(reopened.TryGet("k0999", out var last) && last == 999);
        Assert.False(reopened.TryGet("k0007", out _));
    }

    [Fact]
    public void RocksDbWindow_ReopenedStore_KeepsDataAndRetentionClock()
    {
        var builder = Stores.RocksDbWindow<string, long>("reopen", TimeSpan.FromHours(1), T.Min(10), loggingEnabled: false);
        var first = Build(builder, logging: false);
        ((IWindowStore<string, long>)first).Put("a", 1, T.At("2024-08-01T10:00:00Z"));
        _scratch.Close(first);

        var reopened = Build(builder, logging: false);
        var store = (IWindowStore<string, long>)reopened;
        store.Put("a", 2, T.At("2024-08-01T08:00:00Z"));

        Assert.Equal([1L], store.All().Select(kv => kv.Value));
    }

}
