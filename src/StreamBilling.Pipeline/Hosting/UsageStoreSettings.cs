using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Where the host keeps the rollup and CDN status store (section <c>Storage</c>).</summary>
public sealed class UsageStoreSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Storage";

    /// <summary>Value of <see cref="DuckDbPath"/> that keeps the store in memory (tests).</summary>
    public const string InMemory = ":memory:";

    /// <summary>
    /// The DuckDB file (relative to the working directory; the CLI's <c>--db</c> default), or <c>:memory:</c>. One process
    /// at a time may open the file, so the CLI's <c>query</c> and <c>cdn</c> commands read it after the host stopped.
    /// </summary>
    public string DuckDbPath { get; set; } = UsageStores.DefaultDuckDbPath;
}
