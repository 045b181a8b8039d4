using System.Collections;
using System.Text;

namespace StreamBilling.Streams;

/// <summary>Ordered record headers as in Kafka: duplicate keys are allowed and lookups return the last value.</summary>
public sealed class Headers : IEnumerable<Header>
{
    private Header[] _items;
    private int _count;

    /// <summary>Creates an empty header list.</summary>
    public Headers() => _items = [];

    /// <summary>Creates an empty header list with room for <paramref name="capacity"/> headers.</summary>
    public Headers(int capacity) => _items = capacity == 0 ? [] : new Header[capacity];

    /// <summary>Number of headers.</summary>
    public int Count => _count;

    /// <summary>The header at <paramref name="index"/>.</summary>
    public Header this[int index] => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Appends a header with a raw value (null allowed, as in Kafka).</summary>
    public void Add(string key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
        }

        _items[_count++] = new Header(key, value);
    }

    /// <summary>Appends a header with a UTF-8 encoded string value.</summary>
    public void Add(string key, string value) => Add(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Removes every header with <paramref name="key"/>; returns how many were removed.</summary>
    public int Remove(string key)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (!string.Equals(_items[i].Key, key, StringComparison.Ordinal))
            {
                _items[kept++] = _items[i];
            }
        }

        var removed = _count - kept;
        Array.Clear(_items, kept, removed);
        _count = kept;
        return removed;
    }

    /// <summary>Replaces every header with <paramref name="key"/> by one header with <paramref name="value"/>.</summary>
    public void Set(string key, string value)
    {
        Remove(key);
        Add(key, value);
    }

    /// <summary>Finds the last header with <paramref name="key"/>.</summary>
    public bool TryGetLast(string key, out byte[]? value)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.Ordinal))
            {
                value = _items[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The last value of <paramref name="key"/> decoded as UTF-8, or null when absent.</summary>
    public string? GetLastString(string key) =>
        TryGetLast(key, out var value) && value is not null ? Encoding.UTF8.GetString(value) : null;

    /// <summary>A shallow copy (values are shared, the list is not).</summary>
    public Headers Clone()
    {
        var copy = new Headers(_count + 1);
        Array.Copy(_items, copy._items, _count);
        copy._count = _count;
        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<Header> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
