namespace StreamBilling.Billing.Csv.Tests;

public sealed class BillCsvWriterTests
{
    private static MonthlyBill IssueExample() => new(
        "CUST001",
        "ABC Corporation",
        new BillingMonth(2021, 8),
        [
            new BillLine(string.Empty, "t3.medium", Pricing.OnDemand, 1, new TimeSpan(5, 30, 45), 6, 0, 0.0418m, 0.2508m, 0m),
            new BillLine(string.Empty, "t3.small", Pricing.OnDemand, 2, new TimeSpan(244, 15, 48), 245, 0, 0.0209m, 5.1205m, 0m),
        ],
        [new ElasticIpLine("US (Ohio)", "52.45.78.90", new TimeSpan(50, 45, 30), 21, 0.005m, 0.1050m)]);

    [Fact]
    public void ToCsv_IssueExample_ExactLayout()
    {
        const string expected = """
            Customer Name,ABC Corporation
            Bill for month of,August 2021
            Total Amount,$5.4763
            Total Discount,$0.0000
            Actual Amount,$5.4763

            Region,Resource Type,Pricing,Total Resources,Total Used Time (HH:mm:ss),Total Billed Time (HH:mm:ss),Rate (per hour),Total Amount,Discount,Actual Amount
            ,t3.medium,OnDemand,1,05:30:45,06:00:00,$0.0418,$0.2508,$0.0000,$0.2508
            ,t3.small,OnDemand,2,244:15:48,245:00:00,$0.0209,$5.1205,$0.0000,$5.1205

            Elastic IP
            Region,IP Address,Total Allocation Time,Total Billed Time,Amount
            US (Ohio),52.45.78.90,50:45:30,21:00:00,$0.1050

            """;

        Assert.Equal(expected.ReplaceLineEndings("\n"), BillCsvWriter.ToCsv(IssueExample()));
    }

    [Fact]
    public void ToCsv_NoElasticIps_NoElasticIpSection()
    {
        var csv = BillCsvWriter.ToCsv(IssueExample() with { ElasticIpLines = [] });

        Assert.DoesNotContain("Elastic IP", csv, StringComparison.Ordinal);
        Assert.EndsWith("$5.1205\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_NameWithComma_Quoted()
    {
        var csv = BillCsvWriter.ToCsv(IssueExample() with { CustomerName = "ACME, Inc." });

        Assert.StartsWith("Customer Name,\"ACME, Inc.\"\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCsv_Discount_PrintedPerLineAndInTotals()
    {
        var bill = IssueExample() with
        {
            Lines = [new BillLine("US (Ohio)", "t3.micro", Pricing.OnDemand, 2, TimeSpan.FromHours(800), 800, 750, 0.0104m, 8.32m, 7.80m)],
            ElasticIpLines = [],
        };

        var csv = BillCsvWriter.ToCsv(bill);

        Assert.Contains("Total Discount,$7.8000\nActual Amount,$0.5200\n", csv, StringComparison.Ordinal);
        Assert.Contains("US (Ohio),t3.micro,OnDemand,2,800:00:00,800:00:00,$0.0104,$8.3200,$7.8000,$0.5200\n", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "00:00:00")]
    [InlineData(59, "00:00:59")]
    [InlineData(3600 * 100 + 61, "100:01:01")]
    [InlineData(3600 * 1234, "1234:00:00")]
    public void Duration_Seconds_HoursMayExceedNinetyNine(int seconds, string expected)
    {
        Assert.Equal(expected, BillFormat.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("0", "$0.0000")]
    [InlineData("5.12345", "$5.1235")]
    [InlineData("1234567.1", "$1234567.1000")]
    public void Money_Amount_DollarAndFourDecimals(string amount, string expected)
    {
        Assert.Equal(expected, BillFormat.Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void FileName_Bill_IdMonthUpperCaseYear()
    {
        Assert.Equal("CUST001_AUG-2021.csv", BillFormat.FileName(IssueExample()));
    }

    [Fact]
    public void WriteAll_SeedSample_MatchesCheckedInExpectedBills()
    {
        using var output = new TempFolder();
        var read = BillInputReader.Read(TempFolder.RepoFile("samples/bill-seed"));

        BillCsvWriter.WriteAll(BillCalculator.Calculate(read.Input).Bills, output.Path);

        var expectedDir = TempFolder.RepoFile("samples/bill-seed/expected");
        var expected = Directory.GetFiles(expectedDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Directory.GetFiles(output.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(expected, name => Assert.Equal(File.ReadAllText(Path.Combine(expectedDir, name!)), File.ReadAllText(Path.Combine(output.Path, name!))));
    }

    [Fact]
    public void RejectsWriter_Errors_OneRowEachWithRawRowQuoted()
    {
        using var output = new TempFolder();
        var path = Path.Combine(output.Path, "rejects.csv");

        RejectsCsvWriter.Write([new InputError("AWSResourceUsage.csv", 3, "unknown customer CUST009", "CUST009,i-2,t3.small")], path);

        Assert.Equal("File,Line,Reason,Raw Row\nAWSResourceUsage.csv,3,unknown customer CUST009,\"CUST009,i-2,t3.small\"\n", File.ReadAllText(path));
    }

    [Fact]
    public void ToCsv_StreamBill_ServiceAndCorrectionSectionsAfterTheLines()
    {
        var bill = IssueExample() with
        {
            ElasticIpLines = [],
            ServiceLines = [new ServiceLine(BillableService.S3, "us-east-1", "Requests-Tier2", 2, 1500m, "Requests", 0.0000004m, 0.0006m)],
            Corrections = [new CorrectionLine(new BillingMonth(2021, 7), BillableService.Ec2, "US (Ohio)", "t3.small", "OnDemand", 3, "Hours", 0.0627m, 0m)],
        };

        var csv = BillCsvWriter.ToCsv(bill);

        Assert.Contains("Total Amount,$5.4346\n", csv, StringComparison.Ordinal);
        Assert.EndsWith(
            "$5.1205\n"
            + "\nServices\nService,Region,Usage Type,Total Resources,Quantity,Unit,Rate (per unit),Amount\n"
            + "S3,us-east-1,Requests-Tier2,2,1500,Requests,$0.0000004,$0.0006\n"
            + "\nCorrections\nCorrects Month,Kind,Region,Item,Pricing,Quantity,Unit,Amount,Discount,Actual Amount\n"
            + "July 2021,EC2,US (Ohio),t3.small,OnDemand,3,Hours,$0.0627,$0.0000,$0.0627\n",
            csv,
            StringComparison.Ordinal);
    }
}
