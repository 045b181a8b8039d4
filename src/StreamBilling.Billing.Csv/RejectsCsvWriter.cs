using System.Globalization;
using CsvHelper;

namespace StreamBilling.Billing.Csv;

/// <summary>Writes rejected rows with their reasons (<c>rejects.csv</c>), so no row is ever dropped silently.</summary>
public static class RejectsCsvWriter
{
    /// <summary>Writes File, Line, Reason, Raw Row for each error.</summary>
    public static void Write(IEnumerable<InputError> errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        using var csv = CsvWriter.ToFile(path, new CsvWriterOptions { NewLine = "\n" });
        csv.WriteRecord(["File", "Line", "Reason", "Raw Row"]);
        foreach (var error in errors)
        {
            csv.WriteRecord([error.File, error.Line.ToString(CultureInfo.InvariantCulture), error.Reason, error.RawRow]);
        }
    }
}
