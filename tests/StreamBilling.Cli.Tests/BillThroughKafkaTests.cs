using StreamBilling.Cli.Commands;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// `streambilling bill --through-kafka` on the embedded cluster (sessions, pricing and invoice topologies in-process)
/// writes the same bytes as `bill` without it.
/// </summary>
public sealed class BillThroughKafkaTests
{
    [Fact]
    public async Task BillThroughKafka_SeedSample_ByteEqualToExpectedBills()
    {
        using var work = new TempFolder();

        var (exitCode, output, error) = await CliRun.RunAsync("bill", "--input", TempFolder.RepoFile("samples/bill-seed"), "--output", work.Path, "--through-kafka");

        Assert.True(exitCode == 0, error);
        Assert.Contains("5 bill(s) written", output, StringComparison.Ordinal);
        await AssertSameFilesAsync(TempFolder.RepoFile("samples/bill-seed/expected"), work.Path);
    }

    [Fact]
    public async Task BillThroughKafka_GeneratedInput_ByteEqualToDirectMode()
    {
        // Overlapping rows of one instance, rows across month ends, free tier, reservations, Elastic IPs (one BYOIP).
        using var work = new TempFolder();
        var input = work.Sub("input");
        Directory.CreateDirectory(input);
        BillBench.Generate(input, rowCount: 300, customerCount: 30, monthCount: 5, seed: 11);

        var direct = await CliRun.RunAsync("bill", "--input", input, "--output", work.Sub("direct"));
        var kafka = await CliRun.RunAsync("bill", "--input", input, "--output", work.Sub("kafka"), "--through-kafka");

        Assert.Equal(0, direct.ExitCode);
        Assert.True(kafka.ExitCode == 0, kafka.Error);
        Assert.True(Directory.GetFiles(work.Sub("direct")).Length > 100);
        await AssertSameFilesAsync(work.Sub("direct"), work.Sub("kafka"));
    }

    [Fact]
    public async Task BillThroughKafka_BadRow_SameExitCodeAndNothingWritten()
    {
        using var input = new TempFolder()
            .With("Customer.csv", "Sr No,Customer ID,Customer Name\n1,CUST-001,ABC Corporation\n")
            .With("AWSResourceTypes.csv", "Sr No,Instance Type,Charge/Hour\n1,t3.small,$0.0209\n")
            .With("AWSResourceUsage.csv", "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n1,CUST001,i-1,t3.small,2021-08-02T12:00:00,2021-08-02T10:00:00\n");
        using var work = new TempFolder();

        var (exitCode, _, error) = await CliRun.RunAsync("bill", "--input", input.Path, "--output", work.Sub("bills"), "--through-kafka");

        Assert.Equal(2, exitCode);
        Assert.Contains("AWSResourceUsage.csv", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.Sub("bills")));
    }

    private static async Task AssertSameFilesAsync(string expectedDir, string actualDir)
    {
        var expected = Directory.GetFiles(expectedDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Directory.GetFiles(actualDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in expected)
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(expectedDir, name!), TestContext.Current.CancellationToken),
                await File.ReadAllBytesAsync(Path.Combine(actualDir, name!), TestContext.Current.CancellationToken));
        }
    }
}
