using System.Globalization;
using System.Text;
using CsvHelper;

namespace StreamBilling.Billing.Csv.Tests;

/// <summary>
/// The bill layout written field by field with CsvHelper: the reference the fast byte formatter must match exactly
/// (it replaced this code on the hot path; quoting and number formats must not drift).
/// </summary>
internal static class CsvHelperReferenceWriter
{
    private static readonly CsvWriterOptions Options = new()
    {
        NewLine = "\n",
        ValidateFieldCount = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static string ToCsv(MonthlyBill bill)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, Options, leaveOpen: true))
        {
            csv.WriteRecord(["Customer Name", bill.CustomerName]);
            csv.WriteRecord(["Bill for month of", bill.Month.ToLongName()]);
            csv.WriteRecord(["Total Amount", BillFormat.Money(bill.TotalAmount)]);
            csv.WriteRecord(["Total Discount", BillFormat.Money(bill.TotalDiscount)]);
            csv.WriteRecord(["Actual Amount", BillFormat.Money(bill.ActualAmount)]);
            BlankLine(csv, stream);
            csv.WriteRecord([
                "Region", "Resource Type", "Pricing", "Total Resources", "Total Used Time (HH:mm:ss)", "Total Billed Time (HH:mm:ss)",
                "Rate (per hour)", "Total Amount", "Discount", "Actual Amount",
            ]);
            foreach (var line in bill.Lines)
            {
                csv.WriteRecord([
                    line.Region, line.InstanceType, line.Pricing.ToString(),
                    line.Resources.ToString(CultureInfo.InvariantCulture), BillFormat.Duration(line.UsedTime), BillFormat.Hours(line.BilledHours),
                    BillFormat.Money(line.Rate), BillFormat.Money(line.Amount), BillFormat.Money(line.Discount), BillFormat.Money(line.ActualAmount),
                ]);
            }

            if (bill.ElasticIpLines.Count > 0)
            {
                BlankLine(csv, stream);
                csv.WriteRecord("Elastic IP");
                csv.WriteRecord(["Region", "IP Address", "Total Allocation Time", "Total Billed Time", "Amount"]);
                foreach (var line in bill.ElasticIpLines)
                {
                    csv.WriteRecord([line.Region, line.IpAddress, BillFormat.Duration(line.AllocatedTime), BillFormat.Hours(line.BilledHours), BillFormat.Money(line.Amount)]);
                }
            }

            if (bill.ServiceLines.Count > 0)
            {
                BlankLine(csv, stream);
                csv.WriteRecord("Services");
                csv.WriteRecord(["Service", "Region", "Usage Type", "Total Resources", "Quantity", "Unit", "Rate (per unit)", "Amount"]);
                foreach (var line in bill.ServiceLines)
                {
                    csv.WriteRecord([
                        line.Service.ToString(), line.Region, line.UsageType, line.Resources.ToString(CultureInfo.InvariantCulture),
                        BillFormat.Quantity(line.Quantity), line.Unit, BillFormat.UnitRate(line.Rate), BillFormat.Money(line.Amount),
                    ]);
                }
            }

            if (bill.Corrections.Count > 0)
            {
                BlankLine(csv, stream);
                csv.WriteRecord("Corrections");
                csv.WriteRecord(["Corrects Month", "Kind", "Region", "Item", "Pricing", "Quantity", "Unit", "Amount", "Discount", "Actual Amount"]);
                foreach (var line in bill.Corrections)
                {
                    csv.WriteRecord([
                        line.CorrectsMonth.ToLongName(), line.Kind, line.Region, line.Item, line.Pricing, BillFormat.Quantity(line.Quantity), line.Unit,
                        BillFormat.Money(line.Amount), BillFormat.Money(line.Discount), BillFormat.Money(line.ActualAmount),
                    ]);
                }
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void BlankLine(CsvWriter csv, Stream stream)
    {
        csv.Flush();
        stream.WriteByte((byte)'\n');
    }
}
