using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CsvHelper;

namespace StreamBilling.Billing.Csv;

/// <summary>Writes bills as CSV files in the layout of issue 2 (summary, lines, optional Elastic IP section).</summary>
public static class BillCsvWriter
{
    private static readonly CsvWriterOptions Options = new()
    {
        NewLine = "\n",

        // A bill has sections of different widths.
        ValidateFieldCount = false,
        FormatProvider = CultureInfo.InvariantCulture,
        BufferSize = 16 * 1024,
    };

    /// <summary>Writes one bill as UTF-8 (no byte order mark) to <paramref name="destination"/>, which stays open.</summary>
    public static void Write(MonthlyBill bill, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(destination);
        using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        csv.WriteRecord(["Customer Name", bill.CustomerName]);
        csv.WriteRecord(["Bill for month of", bill.Month.ToLongName()]);
        csv.WriteRecord(["Total Amount", BillFormat.Money(bill.TotalAmount)]);
        csv.WriteRecord(["Total Discount", BillFormat.Money(bill.TotalDiscount)]);
        csv.WriteRecord(["Actual Amount", BillFormat.Money(bill.ActualAmount)]);
        BlankLine(csv, destination);
        csv.WriteRecord([
            "Region", "Resource Type", "Pricing", "Total Resources", "Total Used Time (HH:mm:ss)", "Total Billed Time (HH:mm:ss)",
            "Rate (per hour)", "Total Amount", "Discount", "Actual Amount",
        ]);
        foreach (var line in bill.Lines)
        {
            csv.WriteField(line.Region);
            csv.WriteField(line.InstanceType);
            csv.WriteField(line.Pricing == Pricing.Reserved ? "Reserved" : "OnDemand");
            csv.WriteField(line.Resources.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(BillFormat.Duration(line.UsedTime));
            csv.WriteField(BillFormat.Hours(line.BilledHours));
            csv.WriteField(BillFormat.Money(line.Rate));
            csv.WriteField(BillFormat.Money(line.Amount));
            csv.WriteField(BillFormat.Money(line.Discount));
            csv.WriteField(BillFormat.Money(line.ActualAmount));
            csv.EndRecord();
        }

        if (bill.ElasticIpLines.Count == 0)
        {
            return;
        }

        BlankLine(csv, destination);
        csv.WriteRecord("Elastic IP");
        csv.WriteRecord(["Region", "IP Address", "Total Allocation Time", "Total Billed Time", "Amount"]);
        foreach (var line in bill.ElasticIpLines)
        {
            csv.WriteField(line.Region);
            csv.WriteField(line.IpAddress);
            csv.WriteField(BillFormat.Duration(line.AllocatedTime));
            csv.WriteField(BillFormat.Hours(line.BilledHours));
            csv.WriteField(BillFormat.Money(line.Amount));
            csv.EndRecord();
        }
    }

    /// <summary>The bill as CSV text.</summary>
    public static string ToCsv(MonthlyBill bill)
    {
        using var stream = new MemoryStream();
        Write(bill, stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes every bill into <paramref name="directory"/> (created if needed) as <see cref="BillFormat.FileName"/>.</summary>
    public static void WriteAll(IReadOnlyList<MonthlyBill> bills, string directory)
    {
        ArgumentNullException.ThrowIfNull(bills);
        Directory.CreateDirectory(directory);

        // Bills are small and many (one per customer and month), so each is formatted in memory and written in one call.
        Parallel.ForEach(
            Partitioner.Create(0, bills.Count, 256),
            () => new MemoryStream(4096),
            (range, _, buffer) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    buffer.SetLength(0);
                    Write(bills[i], buffer);
                    using var file = new FileStream(
                        Path.Combine(directory, BillFormat.FileName(bills[i])), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
                    file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                }

                return buffer;
            },
            buffer => buffer.Dispose());
    }

    private static void BlankLine(CsvWriter csv, Stream destination)
    {
        // CsvHelper writes an empty record as "", but the bill layout has truly empty separator lines.
        csv.Flush();
        destination.WriteByte((byte)'\n');
    }
}
