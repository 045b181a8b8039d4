using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace StreamBilling.Billing.Csv;

/// <summary>Writes bills as CSV: summary, instance lines, optional Elastic IP, service and correction sections (layout in docs/billing-rules.md, CSV input and output).</summary>
public static class BillCsvWriter
{
    /// <summary>Writes one bill as UTF-8 (no byte order mark) to <paramref name="destination"/>, which stays open.</summary>
    public static void Write(MonthlyBill bill, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new ArrayBufferWriter<byte>(1024);
        BillCsvFormatter.Format(bill, buffer);
        destination.Write(buffer.WrittenSpan);
    }

    /// <summary>The bill as CSV text.</summary>
    public static string ToCsv(MonthlyBill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        var buffer = new ArrayBufferWriter<byte>(1024);
        BillCsvFormatter.Format(bill, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes every bill into <paramref name="directory"/> (created if needed) as <see cref="BillFormat.FileName"/>,
    /// replacing a file of that name; formats on all cores. All or nothing (see <see cref="BillFileWriter"/>).
    /// </summary>
    public static void WriteAll(IReadOnlyList<MonthlyBill> bills, string directory)
    {
        ArgumentNullException.ThrowIfNull(bills);
        using var writer = new BillFileWriter(directory);
        Parallel.ForEach(
            Partitioner.Create(0, bills.Count, 64),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            range =>
            {
                var batch = new MonthlyBill[range.Item2 - range.Item1];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = bills[range.Item1 + i];
                }

                writer.Write(batch);
            });
        writer.Complete();
    }
}
