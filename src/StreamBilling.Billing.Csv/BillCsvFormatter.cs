using System.Buffers;
using System.Globalization;
using System.Text;

namespace StreamBilling.Billing.Csv;

/// <summary>
/// Formats one bill as UTF-8 CSV straight into a byte buffer. A quarter of a million bills are written per large run;
/// building each through a CSV writer and strings costs more than the file system calls, so this writes bytes
/// directly. Fields are quoted exactly as CsvHelper quotes them (a field holding <c>,</c>, <c>"</c>, CR or LF is
/// enclosed in quotes with quotes doubled), which a test checks against CsvHelper itself.
/// </summary>
internal static class BillCsvFormatter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Amounts below this print through a scaled <see cref="long"/>.</summary>
    private const decimal MaxScaledMoney = 900_000_000_000_000m;

    private static ReadOnlySpan<byte> LineHeader => "Region,Resource Type,Pricing,Total Resources,Total Used Time (HH:mm:ss),Total Billed Time (HH:mm:ss),Rate (per hour),Total Amount,Discount,Actual Amount\n"u8;

    private static ReadOnlySpan<byte> ElasticIpHeader => "\nElastic IP\nRegion,IP Address,Total Allocation Time,Total Billed Time,Amount\n"u8;

    public static void Format(MonthlyBill bill, IBufferWriter<byte> output)
    {
        Raw(output, "Customer Name,"u8);
        Field(output, bill.CustomerName);
        Raw(output, "\nBill for month of,"u8);
        Field(output, bill.Month.ToLongName());
        Raw(output, "\nTotal Amount,"u8);
        Money(output, bill.TotalAmount);
        Raw(output, "\nTotal Discount,"u8);
        Money(output, bill.TotalDiscount);
        Raw(output, "\nActual Amount,"u8);
        Money(output, bill.ActualAmount);
        Raw(output, "\n\n"u8);
        Raw(output, LineHeader);
        foreach (var line in bill.Lines)
        {
            Field(output, line.Region);
            Raw(output, ","u8);
            Field(output, line.InstanceType);
            Raw(output, line.Pricing == Pricing.Reserved ? ",Reserved,"u8 : ",OnDemand,"u8);
            Integer(output, line.Resources, default);
            Raw(output, ","u8);
            Duration(output, line.UsedTime.Ticks / TimeSpan.TicksPerSecond);
            Raw(output, ","u8);
            Duration(output, line.BilledHours * 3600);
            Raw(output, ","u8);
            Money(output, line.Rate);
            Raw(output, ","u8);
            Money(output, line.Amount);
            Raw(output, ","u8);
            Money(output, line.Discount);
            Raw(output, ","u8);
            Money(output, line.ActualAmount);
            Raw(output, "\n"u8);
        }

        if (bill.ElasticIpLines.Count == 0)
        {
            return;
        }

        Raw(output, ElasticIpHeader);
        foreach (var line in bill.ElasticIpLines)
        {
            Field(output, line.Region);
            Raw(output, ","u8);
            Field(output, line.IpAddress);
            Raw(output, ","u8);
            Duration(output, line.AllocatedTime.Ticks / TimeSpan.TicksPerSecond);
            Raw(output, ","u8);
            Duration(output, line.BilledHours * 3600);
            Raw(output, ","u8);
            Money(output, line.Amount);
            Raw(output, "\n"u8);
        }
    }

    private static void Raw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>A text field, quoted only when it holds a separator, a quote or a line break (RFC 4180, as CsvHelper does).</summary>
    private static void Field(IBufferWriter<byte> output, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            Text(output, text);
            return;
        }

        Raw(output, "\""u8);
        Text(output, text.Replace("\"", "\"\"", StringComparison.Ordinal));
        Raw(output, "\""u8);
    }

    private static void Text(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Utf8.GetMaxByteCount(text.Length));
        output.Advance(Utf8.GetBytes(text, span));
    }

    /// <summary><c>$</c> and 4 decimals; the same text as <see cref="BillFormat.Money"/>.</summary>
    private static void Money(IBufferWriter<byte> output, decimal amount)
    {
        Raw(output, amount < 0 ? "-$"u8 : "$"u8);
        var magnitude = amount < 0 ? -amount : amount;

        // The "0.0000" format rounds half away from zero; doing that first and printing the scaled integer is several
        // times cheaper than the general custom-format path, which dominated formatting.
        var rounded = decimal.Round(magnitude, 4, MidpointRounding.AwayFromZero);
        if (rounded < MaxScaledMoney)
        {
            var scaled = (long)(rounded * 10_000m);
            Integer(output, scaled / 10_000, default);
            Raw(output, "."u8);
            Integer(output, scaled % 10_000, "0000");
            return;
        }

        var span = output.GetSpan(64);
        if (!magnitude.TryFormat(span, out var written, "0.0000", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A decimal always fits in 64 bytes.");
        }

        output.Advance(written);
    }

    /// <summary><c>HH:mm:ss</c> with at least two hour digits; the same text as <see cref="BillFormat.Duration"/>.</summary>
    private static void Duration(IBufferWriter<byte> output, long totalSeconds)
    {
        Integer(output, totalSeconds / 3600, "00");
        Raw(output, ":"u8);
        Integer(output, totalSeconds / 60 % 60, "00");
        Raw(output, ":"u8);
        Integer(output, totalSeconds % 60, "00");
    }

    private static void Integer(IBufferWriter<byte> output, long value, ReadOnlySpan<char> format)
    {
        var span = output.GetSpan(24);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A long always fits in 24 bytes.");
        }

        output.Advance(written);
    }
}
