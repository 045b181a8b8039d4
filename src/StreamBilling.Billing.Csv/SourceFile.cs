namespace StreamBilling.Billing.Csv;

/// <summary>The file an input list came from and the line of each of its records.</summary>
internal sealed class SourceFile(string path)
{
    public string Path { get; } = path;

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Line of record i (only line numbers are kept, so a million rows do not keep their text in memory).</summary>
    public List<int> Lines { get; } = [];

    /// <summary>Reads the file again for the raw text of the few rows that are reported.</summary>
    public Dictionary<int, string> RawRows(HashSet<int> lines)
    {
        var rows = new Dictionary<int, string>();
        using var table = CsvTable.Open(Path);
        while (rows.Count < lines.Count && table.Read())
        {
            if (lines.Contains(table.Line))
            {
                rows[table.Line] = table.RawRow();
            }
        }

        return rows;
    }
}
