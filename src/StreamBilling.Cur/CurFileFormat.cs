namespace StreamBilling.Cur;

/// <summary>The report file format a sample export is written in.</summary>
public enum CurFileFormat
{
    /// <summary>Gzip-compressed CSV with a header row, CUR's default (<c>.csv.gz</c>).</summary>
    CsvGzip,

    /// <summary>Parquet with typed columns (<c>.parquet</c>).</summary>
    Parquet,
}
