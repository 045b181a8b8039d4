namespace StreamBilling.Storage;

/// <summary>Finds the <see cref="IDailyUsageStore"/> of an opened store.</summary>
public static class DailyUsageStores
{
    /// <summary>
    /// The daily usage view of <paramref name="store"/> (the DuckDB and PostgreSQL stores have one); throws
    /// <see cref="NotSupportedException"/> naming the store's type when it has none.
    /// </summary>
    public static IDailyUsageStore Of(IUsageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store as IDailyUsageStore
            ?? throw new NotSupportedException($"The usage store {store.GetType().Name} has no daily usage view (IDailyUsageStore): the DuckDB and PostgreSQL stores do.");
    }
}
