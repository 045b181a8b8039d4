namespace StreamBilling.Storage;

/// <summary>Which database keeps the usage store.</summary>
public enum UsageStoreProvider
{
    /// <summary>An embedded DuckDB file that one process at a time may open (the default).</summary>
    DuckDb,

    /// <summary>A PostgreSQL server that several processes (host instances, the CLI) share.</summary>
    Postgres,
}
