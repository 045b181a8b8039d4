namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Each customer's recent slice totals for one cap, so that summing the slices of every window that holds a sample (up
/// to 71 slices for 3 h / 5 min) costs array reads. A slice not in the ring is computed from the stored samples.
/// </summary>
/// <remarks>
/// The slices are derived state, not stored: the processor adds every sample it stores, so the ring never goes stale,
/// and after a restore (each task builds its own processor) the slices are recomputed from the restored samples as they
/// are needed. A ring slot remembers which slice start it holds; a slot taken by another slice is a miss. Past
/// <see cref="MaxCustomers"/> customers the cache simply starts over.
/// </remarks>
internal sealed class SliceCache
{
    /// <summary>Customers kept before the cache is cleared (bounds memory, not correctness).</summary>
    public const int MaxCustomers = 50_000;

    private readonly Func<string, long, long, long> _load;
    private readonly long _sliceTicks;
    private readonly int _mask;
    private readonly Dictionary<string, Ring> _rings = new(StringComparer.Ordinal);

    /// <param name="load">Bytes of (customer, slice start ticks, slice length ticks) from the stored samples.</param>
    /// <param name="sliceTicks">Slice length.</param>
    /// <param name="slicesSpanned">Most slices one sample's windows cover; the ring holds at least twice as many.</param>
    public SliceCache(Func<string, long, long, long> load, long sliceTicks, int slicesSpanned)
    {
        _load = load;
        _sliceTicks = sliceTicks;
        _mask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, slicesSpanned * 2)) - 1;
    }

    /// <summary>The ring of <paramref name="customer"/>, created empty.</summary>
    public Ring For(string customer)
    {
        if (_rings.TryGetValue(customer, out var ring))
        {
            return ring;
        }

        if (_rings.Count >= MaxCustomers)
        {
            _rings.Clear();
        }

        ring = new Ring(customer, _mask + 1);
        _rings.Add(customer, ring);
        return ring;
    }

    /// <summary>Bytes of the slice starting at <paramref name="sliceStart"/> (ticks).</summary>
    public long Get(Ring ring, long sliceStart)
    {
        var slot = Slot(sliceStart);
        if (ring.Starts[slot] == sliceStart)
        {
            return ring.Bytes[slot];
        }

        var bytes = _load(ring.Customer, sliceStart, _sliceTicks);
        ring.Starts[slot] = sliceStart;
        ring.Bytes[slot] = bytes;
        return bytes;
    }

    /// <summary>Adds a sample's bytes to its slice; call before the sample is stored, or a miss would count it twice.</summary>
    public void Add(Ring ring, long sliceStart, long bytes)
    {
        var total = Get(ring, sliceStart) + bytes;
        ring.Bytes[Slot(sliceStart)] = total;
    }

    private int Slot(long sliceStart) => (int)((sliceStart / _sliceTicks) & _mask);

    /// <summary>One customer's slots: slice start (ticks, <see cref="long.MinValue"/> when empty) and bytes.</summary>
    internal sealed class Ring
    {
        public Ring(string customer, int size)
        {
            Customer = customer;
            Starts = new long[size];
            Bytes = new long[size];
            Array.Fill(Starts, long.MinValue);
        }

        public string Customer { get; }

        public long[] Starts { get; }

        public long[] Bytes { get; }
    }
}
