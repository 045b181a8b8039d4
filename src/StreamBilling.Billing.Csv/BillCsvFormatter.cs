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

    private static ReadOnlySpan<byte> ServiceHeader => "\nServices\nService,Region,Usage Type,Total Resources,Quantity,Unit,Rate (per unit),Amount\n"u8;

    private static ReadOnlySpan<byte> CorrectionHeader => "\nCorrections\nCorrects Month,Kind,Region,Item,Pricing,Quantity,Unit,Amount,Discount,Actual Amount\n"u8;

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
            new Row(output)
                .Field(line.Region)
                .Field(line.InstanceType)
                .Literal(line.Pricing switch
                {
                    Pricing.Reserved => "Reserved"u8,
                    Pricing.Spot => "Spot"u8,
                    _ => "OnDemand"u8,
                })
                .Integer(line.Resources)
                .Duration(line.UsedTime.Ticks / TimeSpan.TicksPerSecond)
                .Duration(line.BilledHours * 3600)
                .Money(line.Rate)
                .Money(line.Amount)
                .Money(line.Discount)
                .Money(line.ActualAmount)
                .End();
        }

        if (bill.ElasticIpLines.Count > 0)
        {
            Raw(output, ElasticIpHeader);
            foreach (var line in bill.ElasticIpLines)
            {
                new Row(output)
                    .Field(line.Region)
                    .Field(line.IpAddress)
                    .Duration(line.AllocatedTime.Ticks / TimeSpan.TicksPerSecond)
                    .Duration(line.BilledHours * 3600)
                    .Money(line.Amount)
                    .End();
            }
        }

        // Only bills assembled from a stream have these sections; bills from CSV input never do.
        if (bill.ServiceLines.Count > 0)
        {
            Raw(output, ServiceHeader);
            foreach (var line in bill.ServiceLines)
            {
                new Row(output)
                    .Field(line.Service.ToString())
                    .Field(line.Region)
                    .Field(line.UsageType)
                    .Integer(line.Resources)
                    .Formatted(line.Quantity, BillFormat.QuantityFormat, dollar: false)
                    .Field(line.Unit)
                    .Formatted(line.Rate, BillFormat.UnitRateFormat, dollar: true)
                    .Money(line.Amount)
                    .End();
            }
        }

        if (bill.Corrections.Count > 0)
        {
            Raw(output, CorrectionHeader);
            foreach (var line in bill.Corrections)
            {
                new Row(output)
                    .Field(line.CorrectsMonth.ToLongName())
                    .Field(line.Kind)
                    .Field(line.Region)
                    .Field(line.Item)
                    .Field(line.Pricing)
                    .Formatted(line.Quantity, BillFormat.QuantityFormat, dollar: false)
                    .Field(line.Unit)
                    .Money(line.Amount)
                    .Money(line.Discount)
                    .Money(line.ActualAmount)
                    .End();
            }
        }
    }

    /// <summary>A decimal in a custom format, with <c>$</c> (before the sign's <c>-</c>) when <paramref name="dollar"/>.</summary>
    private static void Formatted(IBufferWriter<byte> output, decimal value, string format, bool dollar)
    {
        if (dollar)
        {
            Raw(output, value < 0 ? "-$"u8 : "$"u8);
            value = value < 0 ? -value : value;
        }

        var span = output.GetSpan(64);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A decimal always fits in 64 bytes.");
        }

        output.Advance(written);
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
            Digits(output, scaled % 10_000, 4);
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
        var hours = totalSeconds / 3600;
        if (hours < 100)
        {
            Digits(output, hours, 2);
        }
        else
        {
            Integer(output, hours, default);
        }

        Raw(output, ":"u8);
        Digits(output, totalSeconds / 60 % 60, 2);
        Raw(output, ":"u8);
        Digits(output, totalSeconds % 60, 2);
    }

    /// <summary>A non-negative value below 10^width in exactly <paramref name="width"/> digits (the custom "00" formats are slow).</summary>
    private static void Digits(IBufferWriter<byte> output, long value, int width)
    {
        var span = output.GetSpan(width);
        for (var i = width - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        output.Advance(width);
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

    /// <summary>One CSV record: each value is preceded by a separator except the first; <see cref="End"/> ends the line.</summary>
    private readonly ref struct Row(IBufferWriter<byte> output)
    {
        private readonly IBufferWriter<byte> _output = output;
        private readonly bool _started;

        private Row(IBufferWriter<byte> output, bool started)
            : this(output) => _started = started;

        public Row Field(string text)
        {
            Separate();
            BillCsvFormatter.Field(_output, text);
            return Started();
        }

        public Row Money(decimal amount)
        {
            Separate();
            BillCsvFormatter.Money(_output, amount);
            return Started();
        }

        public Row Duration(long totalSeconds)
        {
            Separate();
            BillCsvFormatter.Duration(_output, totalSeconds);
            return Started();
        }

        public Row Integer(long value)
        {
            Separate();
            BillCsvFormatter.Integer(_output, value, default);
            return Started();
        }

        public Row Formatted(decimal value, string format, bool dollar)
        {
            Separate();
            BillCsvFormatter.Formatted(_output, value, format, dollar);
            return Started();
        }

        public Row Literal(ReadOnlySpan<byte> bytes)
        {
            Separate();
            Raw(_output, bytes);
            return Started();
        }

        public void End() => Raw(_output, "\n"u8);

        private Row Started() => new(_output, started: true);

        private void Separate()
        {
            if (_started)
            {
                Raw(_output, ","u8);
            }
        }
    }
}
