using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Cli.Commands;

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

    /// <summary>Runs <c>bill</c> on <paramref name="clock"/> instead of the system clock.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeProvider clock, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { new BillCommand(clock).Create() };
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The two customers, a rate card (default <see cref="Rates"/>) and these usage rows after the header.</summary>
    private static TempFolder UsageInput(string usageRows = "", string rates = Rates) => new TempFolder()
        .With("Customer.csv", Customers)
        .With("AWSResourceTypes.csv", rates)
        .With("AWSOnDemandResourceUsage.csv", UsageHeader + usageRows);

    private static TempFolder MixedInput() => new TempFolder()
        .With("Customer.csv", Customers)
        .With("AWSResourceTypes.csv", Rates)
        .With("AWSOnDemandResourceUsage.csv", MixedUsage);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Bill_SeedSample_OutputByteEqualToExpectedBills(bool durable)
    {
        using var work = new TempFolder();
        var expectedDir = TempFolder.RepoFile("samples/bill-seed/expected");

        string[] args = ["bill", "--input", TempFolder.RepoFile("samples/bill-seed"), "--output", work.Path];
        var (exitCode, output, _) = await RunAsync(durable ? [.. args, "--durable"] : args);

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
        using var input = UsageInput("1,CUST001,i-1,m5.large,2021-08-01T10:00:00,2021-08-01T11:00:00,US (Ohio),Linux\n");
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
    public async Task Bill_UsageDatedYear9999_BadRowExitCode2AndNothingWritten()
    {
        using var input = UsageInput(
            "1,CUST002,i-good,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
            + "2,CUST001,i-far,t3.small,9999-12-31T00:00:00,9999-12-31T01:00:00,US (Ohio),Linux\n");
        using var work = new TempFolder();
        var output = work.Sub("bills");

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", output);

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSOnDemandResourceUsage.csv:3: Used From 9999-12-31T00:00:00 is beyond the last billable date", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "no file may be written");
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public async Task Bill_UsageDatedFarAheadOfTheClock_RejectedAsFutureTimestamp()
    {
        using var input = UsageInput("1,CUST001,i-1,t3.small,2100-01-01T00:00:00,2100-01-01T01:00:00,US (Ohio),Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSOnDemandResourceUsage.csv:2: Used From 2100-01-01T00:00:00 is later than", error, StringComparison.Ordinal);
        Assert.Contains("(future-timestamp)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.Sub("bills")));
    }

    [Fact]
    public async Task Bill_EventTimeBeyondTheSkew_RejectedOnlyWhenFurtherAheadThanMaxClockSkew()
    {
        // The clock reads 2021-09-01T00:00:00; the row ends 10 minutes later.
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 1, 0, 0, 0, TimeSpan.Zero));
        using var input = UsageInput("1,CUST001,i-1,t3.small,2021-08-31T23:00:00,2021-09-01T00:10:00,US (Ohio),Linux\n");
        using var work = new TempFolder();

        var (defaultSkew, _, error) = await RunAsync(clock, "bill", "--input", input.Path, "--output", work.Sub("default"));
        var (hourSkew, _, _) = await RunAsync(clock, "bill", "--input", input.Path, "--output", work.Sub("hour"), "--max-clock-skew", "1h");

        Assert.Equal(2, defaultSkew);
        Assert.Contains("AWSOnDemandResourceUsage.csv:2: Used Until 2021-09-01T00:10:00 is later than 2021-09-01T00:05:00", error, StringComparison.Ordinal);
        Assert.Equal(0, hourSkew);
        Assert.Equal(["CUST001_AUG-2021.csv", "CUST001_SEP-2021.csv"], Directory.GetFiles(work.Sub("hour")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bill_RateOfDecimalMaxValue_RateRowRejectedFirstExitCode2AndNothingWritten()
    {
        using var input = UsageInput(
            "1,CUST002,i-good,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
            + "2,CUST001,i-1,t3.small,2021-08-01T10:00:00,2021-08-01T12:00:00,US (Ohio),Linux\n",
            rates: "Sr No,Instance Type,Charge/Hour (OnDemand),Region\n1,t3.micro,$0.0104,\n2,t3.small,$79228162514264337593543950335,US (Ohio)\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        var rate = error.IndexOf("AWSResourceTypes.csv:3: on-demand rate 79228162514264337593543950335 exceeds the largest billable amount $999,999,999,999.999999", StringComparison.Ordinal);
        var usage = error.IndexOf("AWSOnDemandResourceUsage.csv:3: no rate for t3.small in US (Ohio) (see the rejected rows of AWSResourceTypes.csv above)", StringComparison.Ordinal);
        Assert.True(rate >= 0 && usage > rate, error);
        Assert.False(Directory.Exists(work.Sub("bills")));
    }

    [Fact]
    public async Task Bill_SkipInvalidWithRowAmountBeyondLargestAmount_RowInRejectsAndRestBilled()
    {
        using var input = UsageInput(
            "1,CUST002,i-good,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
            + "2,CUST001,i-1,t3.large,2021-08-01T00:00:00,2021-11-01T00:00:00,,Linux\n",
            rates: "Sr No,Instance Type,Charge/Hour (OnDemand),Region\n1,t3.micro,$0.0104,\n2,t3.large,\"$1,000,000,000\",\n");
        using var work = new TempFolder();

        var (exitCode, _, _) = await RunAsync("bill", "--input", input.Path, "--output", work.Path, "--skip-invalid");

        Assert.Equal(0, exitCode);
        Assert.Equal(["CUST002_AUG-2021.csv", "rejects.csv"], Directory.GetFiles(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var rejects = await File.ReadAllLinesAsync(work.Sub("rejects.csv"), TestContext.Current.CancellationToken);
        Assert.StartsWith("AWSOnDemandResourceUsage.csv,3,\"amount 2208 h x 1000000000 exceeds the largest billable amount $999,999,999,999.999999\"", rejects[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_MonthTotalBeyondLargestAmount_NamesCustomerAndMonthExitCode2EvenWithSkipInvalid()
    {
        // Each row is $600,000,000,000; the two together in one month are more than a bill can carry.
        using var input = UsageInput(
            "1,CUST002,i-good,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
            + "2,CUST001,i-1,t3.large,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
            + "3,CUST001,i-2,t3.large,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n",
            rates: "Sr No,Instance Type,Charge/Hour (OnDemand),Region\n1,t3.micro,$0.0104,\n2,t3.large,\"$600,000,000,000\",\n");
        using var work = new TempFolder();
        var output = work.Sub("bills");

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", output, "--skip-invalid");

        Assert.Equal(2, exitCode);
        Assert.Contains("Cannot bill: 1 customer month(s) exceed the largest billable amount; no bill was written.", error, StringComparison.Ordinal);
        Assert.Contains("CUST001 August 2021: the t3.large OnDemand line amount 1200000000000", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "no file may be written");
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }

    [Fact]
    public async Task Bill_CustomerNameNotUtf8_RejectedWithFileLineAndReason()
    {
        // "Caf\xE9": Latin-1, not UTF-8; it used to be billed as "Caf\uFFFD Corporation".
        using var input = new TempFolder()
            .WithBytes("Customer.csv", [.. "Sr No,Customer ID,Customer Name\n1,CUST-001,Caf"u8, 0xE9, .. " Corporation\n2,CUST-002,XYZ Corporation\n"u8])
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", UsageHeader + "1,CUST002,i-1,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Customer.csv:2: 'Customer Name' is not valid UTF-8", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.Sub("bills")));
    }

    [Fact]
    public async Task Bill_NulInInstanceId_RejectedWithFileLineAndReason()
    {
        using var input = UsageInput("1,CUST001,i-1\0x,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSOnDemandResourceUsage.csv:2: 'EC2 Instance ID' contains the control character U+0000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_RepeatedSrNo_LaterRowRejectedNamingBothLinesAndRowsDifferingInSrNoBilled()
    {
        // Line 4 repeats line 2 exactly; line 5 differs from line 2 only in its Sr No, so it is usage of its own.
        const string Row = "CUST001,i-1,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n";
        using var input = UsageInput("1," + Row + "2,CUST002,i-2,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n" + "1," + Row + "3," + Row);
        using var work = new TempFolder();

        var strict = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("strict"));
        var skipping = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("skip"), "--skip-invalid");

        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("AWSOnDemandResourceUsage.csv:4: Sr No 1 repeats line 2", strict.Error, StringComparison.Ordinal);
        Assert.Equal(0, skipping.ExitCode);
        var august = await File.ReadAllTextAsync(Path.Combine(work.Sub("skip"), "CUST001_AUG-2021.csv"), TestContext.Current.CancellationToken);
        Assert.Contains(",t3.micro,OnDemand,1,02:00:00,02:00:00,", august, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_OverlappingAllocationsOfOneElasticIp_LaterRowRejectedWithBothLines()
    {
        using var input = UsageInput()
            .With("ElasticIPRates.csv", "Region,Rate/Hour\nUS (Ohio),$0.005\n")
            .With("ElasticIPAllocation.csv", "Customer,Region,Elastic IP,Used From,Used Until,Your own IP?\n"
                + "CUST001,US (Ohio),52.1.1.1,2021-08-01T00:00:00,2021-08-03T00:00:00,No\n"
                + "CUST001,US (Ohio),52.1.1.1,2021-08-03T00:00:00,2021-08-04T00:00:00,No\n"
                + "CUST001,US (Ohio),52.1.1.1,2021-08-02T00:00:00,2021-08-05T00:00:00,Yes\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Cannot bill: 1 bad row(s)", error, StringComparison.Ordinal);
        Assert.Contains(
            "ElasticIPAllocation.csv:4: Elastic IP 52.1.1.1 is allocated twice at once: it is already allocated from 2021-08-01T00:00:00 to 2021-08-03T00:00:00 by CUST001 on line 2",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_DuplicateCustomer_RootCauseListedBeforeTheRowsItRejects()
    {
        using var input = new TempFolder()
            .With("Customer.csv", "Sr No,Customer ID,Customer Name\n1,CUST-001,ABC Corporation\n2,CUST-002,XYZ Corporation\n3,cust001,ABC Again\n")
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", UsageHeader
                + "1,CUST001,i-1,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
                + "2,CUST001,i-2,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Customer.csv:2: customer CUST-001 is listed more than once", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Customer.csv:4: customer cust001 is listed more than once", lines[2], StringComparison.Ordinal);
        Assert.Equal(
            "AWSOnDemandResourceUsage.csv:2: customer CUST001 is not billable: its customer row is rejected (see the rejected rows of Customer.csv above)",
            lines[3]);
    }

    [Fact]
    public async Task Bill_UnterminatedQuoteInCustomers_RootCauseListedBeforeUnknownCustomers()
    {
        using var input = new TempFolder()
            .With("Customer.csv", "Sr No,Customer ID,Customer Name\n1,CUST-001,\"ABC Corporation\n2,CUST-002,XYZ Corporation\n")
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", UsageHeader
                + "1,CUST001,i-1,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n"
                + "2,CUST002,i-2,t3.micro,2021-08-01T10:00:00,2021-08-01T11:00:00,,Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(2, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Customer.csv:2: malformed CSV", lines[1], StringComparison.Ordinal);
        Assert.All(lines.Skip(2), l => Assert.EndsWith("(see the rejected rows of Customer.csv above)", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bill_OutputIsAFile_ExitCode1WithReason()
    {
        using var work = new TempFolder().With("taken", "not a folder");

        var (exitCode, _, error) = await RunAsync("bill", "--input", TempFolder.RepoFile("samples/bill-seed"), "--output", work.Sub("taken"));

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot write the bills to", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bill_BillFileNameTooLong_ExitCode1NamingTheFileAndNothingWritten()
    {
        var customer = "CUST" + new string('7', 300);
        using var input = new TempFolder()
            .With("Customer.csv", $"Sr No,Customer ID,Customer Name\n1,{customer},Long Name Ltd\n")
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", UsageHeader + $"1,{customer},i-1,t3.small,2021-08-01T10:00:00,2021-08-01T12:30:00,US (Ohio),Linux\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot write bill file {customer}_AUG-2021.csv", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(work.Path));
    }
}
