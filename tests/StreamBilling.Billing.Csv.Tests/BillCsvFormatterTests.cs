using FsCheck;
using FsCheck.Fluent;

namespace StreamBilling.Billing.Csv.Tests;

public sealed class BillCsvFormatterTests
{
    /// <summary>Text that needs quoting or is easy to get wrong in UTF-8.</summary>
    private static readonly string[] AwkwardText =
        ["", "plain", "ACME, Inc.", "say \"hi\"", "two\nlines", "carriage\rreturn", " padded ", "tab\there", "Zürich Ltd", "東京", "\"", ",", "a;b"];

    private static readonly Gen<decimal> Amounts = Gen.OneOf(
        Gen.Elements(0m, 0.00005m, 0.00015m, 0.99995m, 1.23445m, 1.23455m, 5.3713m, -0.00005m, -2.5m, 899_999_999_999_999.9999m, 900_000_000_000_000m, 12_345_678_901_234_567.89m),
        from units in Gen.Choose(-1_000_000, 1_000_000)
        from fraction in Gen.Choose(0, 999_999)
        select units + (fraction / 1_000_000m));

    [Fact]
    public void ToCsv_AnyBill_SameBytesAsCsvHelper()
    {
        Prop.ForAll(Bills().ToArbitrary(), bill => BillCsvWriter.ToCsv(bill) == CsvHelperReferenceWriter.ToCsv(bill))
            .QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("ACME, Inc.", "\"ACME, Inc.\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded ", " padded ")]
    public void ToCsv_CustomerName_QuotedOnlyWhenNeeded(string name, string expected)
    {
        var bill = new MonthlyBill("C1", name, new BillingMonth(2021, 8), [], []);

        Assert.StartsWith($"Customer Name,{expected}\n", BillCsvWriter.ToCsv(bill), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.00005", "$0.0001")]
    [InlineData("1.23445", "$1.2345")]
    [InlineData("-0.00005", "-$0.0001")]
    [InlineData("12345678901234567.89", "$12345678901234567.8900")]
    public void ToCsv_RateMidpointsAndHugeAmounts_RoundedHalfAwayFromZero(string rate, string expected)
    {
        var value = decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture);
        var bill = new MonthlyBill("C1", "N", new BillingMonth(2021, 8), [new BillLine("", "t", Pricing.OnDemand, 1, TimeSpan.Zero, 0, 0, value, 0m, 0m)], []);

        Assert.Contains($",{expected},$0.0000,$0.0000,$0.0000\n", BillCsvWriter.ToCsv(bill), StringComparison.Ordinal);
    }

    private static Gen<MonthlyBill> Bills()
    {
        var text = Gen.Elements(AwkwardText);
        var line =
            from region in text
            from type in text
            from pricing in Gen.Elements(Pricing.OnDemand, Pricing.Reserved, Pricing.Spot)
            from resources in Gen.Choose(0, 100_000)
            from seconds in Gen.Choose(0, int.MaxValue)
            from hours in Gen.Choose(0, 10_000_000)
            from free in Gen.Choose(0, 1_000)
            from rate in Amounts
            from amount in Amounts
            from discount in Amounts
            select new BillLine(region, type, pricing, resources, TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(seconds % 7), hours, free, rate, amount, discount);
        var ipLine =
            from region in text
            from ip in text
            from seconds in Gen.Choose(0, int.MaxValue)
            from hours in Gen.Choose(0, 1_000_000)
            from rate in Amounts
            from amount in Amounts
            select new ElasticIpLine(region, ip, TimeSpan.FromSeconds(seconds), hours, rate, amount);
        var serviceLine =
            from service in Gen.Elements(Enum.GetValues<BillableService>())
            from region in text
            from usageType in text
            from resources in Gen.Choose(0, 1000)
            from quantity in Amounts
            from unit in text
            from rate in Gen.OneOf(Amounts, Gen.Elements(0.0000004m, 0.000000123456789m, 1.5m))
            from amount in Amounts
            select new ServiceLine(service, region, usageType, resources, quantity, unit, rate, amount);
        var correction =
            from year in Gen.Choose(2000, 2030)
            from month in Gen.Choose(1, 12)
            from kind in Gen.Elements(Enum.GetValues<BillableService>())
            from region in text
            from item in text
            from pricing in text
            from quantity in Amounts
            from unit in text
            from amount in Amounts
            from discount in Amounts
            select new CorrectionLine(new BillingMonth(year, month), kind, region, item, pricing, quantity, unit, amount, discount);
        return
            from id in Gen.Elements("CUST001", "C-9")
            from name in text
            from year in Gen.Choose(1, 9998)
            from month in Gen.Choose(1, 12)
            from lines in Gen.ListOf(line).Resize(5)
            from ipLines in Gen.ListOf(ipLine).Resize(3)
            from services in Gen.ListOf(serviceLine).Resize(3)
            from corrections in Gen.ListOf(correction).Resize(3)
            select new MonthlyBill(id, name, new BillingMonth(year, month), lines.ToList(), ipLines.ToList())
            {
                ServiceLines = services.ToList(),
                Corrections = corrections.ToList(),
            };
    }
}
