using System.Diagnostics.CodeAnalysis;

namespace StreamBilling.Streams;

/// <summary>
/// A store of values per key and window start. Windows whose start is at or before (latest start put − retention)
/// expire and are no longer returned.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IWindowStore<TKey, TValue> : IStateStore
{
    /// <summary>Window length, used for the <see cref="Windowed{TKey}.End"/> of results.</summary>
    TimeSpan WindowSize { get; }

    /// <summary>How long windows are kept, measured back from the latest window start put.</summary>
    TimeSpan Retention { get; }

    /// <summary>Inserts or replaces the value of (<paramref name="key"/>, <paramref name="windowStart"/>); ignored when already expired.</summary>
    void Put(TKey key, TValue value, DateTimeOffset windowStart);

    /// <summary>Removes (<paramref name="key"/>, <paramref name="windowStart"/>).</summary>
    bool Delete(TKey key, DateTimeOffset windowStart);

    /// <summary>Looks one window of <paramref name="key"/> up.</summary>
    bool TryGet(TKey key, DateTimeOffset windowStart, [MaybeNullWhen(false)] out TValue value);

    /// <summary>Windows of <paramref name="key"/> starting in [<paramref name="fromStart"/>, <paramref name="toStart"/>], oldest first.</summary>
    IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> Fetch(TKey key, DateTimeOffset fromStart, DateTimeOffset toStart);

    /// <summary>All windows starting in [<paramref name="fromStart"/>, <paramref name="toStart"/>], ordered by start. Do not modify the store while enumerating.</summary>
    IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> FetchAll(DateTimeOffset fromStart, DateTimeOffset toStart);

    /// <summary>All unexpired windows, ordered by start.</summary>
    IEnumerable<KeyValuePair<Windowed<TKey>, TValue>> All();
}
