using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>What <see cref="CurSampleGenerator"/> writes.</summary>
/// <param name="OutputFolder">The folder that plays the bucket.</param>
/// <param name="Version">The layout.</param>
/// <param name="FirstPeriod">The first billing period.</param>
/// <param name="Months">Consecutive billing periods from <paramref name="FirstPeriod"/>.</param>
/// <param name="Rows">Line items in the current versions of all periods together (split evenly; the superseded version adds half a period more).</param>
/// <param name="Seed">The same seed writes the same export.</param>
public sealed record CurSampleOptions(string OutputFolder, CurVersion Version, BillingMonth FirstPeriod, int Months, long Rows, int Seed)
{
    /// <summary>The export (report) name.</summary>
    public string ExportName { get; init; } = "streambilling-cur";

    /// <summary>The key prefix in front of the export name.</summary>
    public string Prefix { get; init; } = "cur";

    /// <summary>The bucket the manifests name (v2 data files are <c>s3://bucket/key</c>).</summary>
    public string Bucket { get; init; } = "streambilling-cur-sample";

    /// <summary>The report file format.</summary>
    public CurFileFormat Format { get; init; } = CurFileFormat.CsvGzip;

    /// <summary>At most this many line items per report file.</summary>
    public int RowsPerFile { get; init; } = 250_000;

    /// <summary>Distinct usage accounts (the first is also the payer).</summary>
    public int Accounts { get; init; } = 6;
}
