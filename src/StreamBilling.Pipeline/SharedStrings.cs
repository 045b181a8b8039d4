namespace StreamBilling.Pipeline;

/// <summary>
/// One instance per stream thread of the strings that repeat across records: customer and account ids, regions, roles,
/// usage types, units. Every decoded record brings its own copies; the entries a store keeps for weeks (ledger lines,
/// rollup contributions) hold the shared one instead, so a month of state pays for each distinct value once.
/// </summary>
internal static class SharedStrings
{
    // Bounded: when full the pool starts over, which only costs later records their sharing, never a wrong value.
    private const int Capacity = 65_536;

    [ThreadStatic]
    private static Dictionary<string, string>? _pool;

    /// <summary>The thread's shared instance equal to <paramref name="value"/> (ordinal), adding it when new.</summary>
    public static string Share(string value)
    {
        var pool = _pool ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (pool.Count >= Capacity)
        {
            pool.Clear();
        }

        pool.Add(value, value);
        return value;
    }
}
