namespace StreamBilling.Cli.Tests;

/// <summary>`streambilling bill` run in-process on temporary folders, as a user runs it.</summary>
public sealed class BillCommandTests
{
    private const string Customers = "Sr No,Customer ID,Customer Name\n1,CUST-001,ABC Corporation\n2,CUST-002,XYZ Corporation\n";
    private const string Rates = "Sr No,Instance Type,Charge/Hour (OnDemand),Charge/Hour (Reserved),Region\n1,t3.small,$0.0209,,US (Ohio)\n2,t3.micro,$0.0104,,\n";
    private const string UsageHeader = "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n";

    /// <summary>Two good rows (lines 2 and 7) around one bad row of each kind (lines 3 to 6).</summary>
    private const string MixedUsage = UsageHeader
        + "1,CUST001,i-good1,t3.small,2021-08-01T10:00:00,2021-08-01T12:30:00,US (Ohio),Linux\n"
        + "2,CUST001,i-bad1,t3.small,2021-08-01 10:00,2021-08-01T12:00:00,US (Ohio),Linux\n"
        + "3,CUST002,i-bad2,t3.small,2021-08-02T12:00:00,2021-08-02T10:00:00,US (Ohio),Linux\n"
        + "4,CUST-009,i-bad3,t3.small,2021-08-03T10:00:00,2021-08-03T11:00:00,US (Ohio),Linux\n"
        + "5,CUST002,i-bad4,t3.small,2021-08-04T10:00:00,2021-08-04T11:00:00,Asia (Mumbai),Windows\n"
        + "6,CUST002,i-good2,t3.micro,2021-09-01T00:00:00,2021-09-01T00:20:00,Asia (Mumbai),Windows\n";

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static TempFolder MixedInput() => new TempFolder()
        .With("Customer.csv", Customers)
        .With("AWSResourceTypes.csv", Rates)
        .With("AWSOnDemandResourceUsage.csv", MixedUsage);

    [Fact]
    public async Task Bill_SeedSample_OutputByteEqualToExpectedBills()
    {
        using var work = new TempFolder();
        var expectedDir = TempFolder.RepoFile("samples/bill-seed/expected");

        var (exitCode, output, _) = await RunAsync("bill", "--input", TempFolder.RepoFile("samples/bill-seed"), "--output", work.Path);

        Assert.Equal(0, exitCode);
        Assert.Contains("5 bill(s) written", output, StringComparison.Ordinal);
        var expected = Directory.GetFiles(expectedDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Directory.GetFiles(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in expected)
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(expectedDir, name!), TestContext.Current.CancellationToken),
                await File.ReadAllBytesAsync(Path.Combine(work.Path, name!), TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Bill_BadRows_ExitCode2AndEveryBadRowNamedWithFileLineAndReason()
    {
        using var input = MixedInput();
        using var work = new TempFolder();
        var output = work.Sub("bills");

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", output);

        Assert.Equal(2, exitCode);
        Assert.Contains("4 bad row(s); no bill was written", error, StringComparison.Ordinal);
        Assert.Contains("AWSOnDemandResourceUsage.csv:3: Used From '2021-08-01 10:00' is not a yyyy-MM-ddTHH:mm:ss timestamp", error, StringComparison.Ordinal);
        Assert.Contains("AWSOnDemandResourceUsage.csv:4: Used Until is before Used From", error, StringComparison.Ordinal);
        Assert.Contains("AWSOnDemandResourceUsage.csv:5: unknown customer CUST-009", error, StringComparison.Ordinal);
        Assert.Contains("AWSOnDemandResourceUsage.csv:6: no rate for t3.small in Asia (Mumbai)", error, StringComparison.Ordinal);
        Assert.DoesNotContain(":2:", error, StringComparison.Ordinal);
        Assert.DoesNotContain(":7:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "no file may be written");
    }

    [Fact]
    public async Task Bill_TypeWithoutAnyRate_RejectedAsBadRow()
    {
        using var input = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", UsageHeader + "1,CUST001,i-1,m5.large,2021-08-01T10:00:00,2021-08-01T11:00:00,US (Ohio),Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSOnDemandResourceUsage.csv:2: no rate for m5.large in US (Ohio)", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(work.Path));
    }

    [Fact]
    public async Task Bill_SkipInvalid_ValidRowsBilledAndEveryRejectListedWithReason()
    {
        using var input = MixedInput();
        using var work = new TempFolder();

        var (exitCode, output, _) = await RunAsync("bill", "--input", input.Path, "--output", work.Path, "--skip-invalid");

        Assert.Equal(0, exitCode);
        Assert.Contains("4 row(s) rejected", output, StringComparison.Ordinal);
        Assert.Equal(
            ["CUST001_AUG-2021.csv", "CUST002_SEP-2021.csv", "rejects.csv"],
            Directory.GetFiles(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var august = await File.ReadAllTextAsync(work.Sub("CUST001_AUG-2021.csv"), TestContext.Current.CancellationToken);
        Assert.Contains("US (Ohio),t3.small,OnDemand,1,02:30:00,03:00:00,$0.0209,$0.0627,$0.0000,$0.0627\n", august, StringComparison.Ordinal);

        var rejects = await File.ReadAllLinesAsync(work.Sub("rejects.csv"), TestContext.Current.CancellationToken);
        Assert.Equal("File,Line,Reason,Raw Row", rejects[0]);
        Assert.Equal(
            [
                "AWSOnDemandResourceUsage.csv,3,Used From '2021-08-01 10:00' is not a yyyy-MM-ddTHH:mm:ss timestamp,\"2,CUST001,i-bad1,t3.small,2021-08-01 10:00,2021-08-01T12:00:00,US (Ohio),Linux\"",
                "AWSOnDemandResourceUsage.csv,4,Used Until is before Used From,\"3,CUST002,i-bad2,t3.small,2021-08-02T12:00:00,2021-08-02T10:00:00,US (Ohio),Linux\"",
                "AWSOnDemandResourceUsage.csv,5,unknown customer CUST-009,\"4,CUST-009,i-bad3,t3.small,2021-08-03T10:00:00,2021-08-03T11:00:00,US (Ohio),Linux\"",
                "AWSOnDemandResourceUsage.csv,6,no rate for t3.small in Asia (Mumbai),\"5,CUST002,i-bad4,t3.small,2021-08-04T10:00:00,2021-08-04T11:00:00,Asia (Mumbai),Windows\"",
            ],
            rejects.Skip(1));
    }

    [Fact]
    public async Task Bill_MissingRequiredFile_ExitCode2EvenWithSkipInvalid()
    {
        using var input = new TempFolder().With("Customer.csv", Customers);
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Path, "--skip-invalid");

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSResourceTypes.csv: required file is missing", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(work.Path));
    }

    [Fact]
    public async Task Bill_OutputIsAFile_ExitCode1WithReason()
    {
        using var work = new TempFolder().With("taken", "not a folder");

        var (exitCode, _, error) = await RunAsync("bill", "--input", TempFolder.RepoFile("samples/bill-seed"), "--output", work.Sub("taken"));

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot write the bills to", error, StringComparison.Ordinal);
    }
}
