namespace StreamBilling.Cli.Commands;

/// <summary>
/// The garbage collector's share of a measured interval: bytes allocated, collections per generation and time paused.
/// With workstation non-concurrent GC (the CLI's setting) the pause is the collector's CPU, so it says how much of a
/// bench's CPU per event is allocation.
/// </summary>
internal readonly record struct GcWork(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    /// <summary>The process's totals so far.</summary>
    public static GcWork Now() => new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public static GcWork operator -(GcWork end, GcWork start) =>
        new(end.AllocatedBytes - start.AllocatedBytes, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.Paused - start.Paused);

    /// <summary>One phrase for a bench line: allocation per unit of work, collections, pause.</summary>
    public string Describe(long units) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"GC: {AllocatedBytes / (double)Math.Max(1, units):F0} B allocated per event, {Gen0}/{Gen1}/{Gen2} gen0/1/2 collections, {Paused.TotalSeconds:F2} s paused");
}
