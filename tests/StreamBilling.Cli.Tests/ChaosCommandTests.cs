using System.Text.Json.Nodes;
using StreamBilling.Cli.Commands.Chaos;
using StreamBilling.Events.Common;

namespace StreamBilling.Cli.Tests;

/// <summary>
/// <c>streambilling chaos</c>: the short CI version of the kill test (the host as a child process, killed with SIGKILL
/// mid-stream and restarted, compared with a clean run), and the comparison it rests on.
/// </summary>
public sealed class ChaosCommandTests
{
    /// <summary>
    /// Every output matches a clean run after two kills: invoices (Elastic IP lines included), rollups, priced lines, cap
    /// decisions, CDN statuses and dead letters.
    /// </summary>
    [Fact]
    public async Task Chaos_HostKilledTwiceMidStream_SameOutputsAsACleanRun()
    {
        using var work = new TempFolder();

        // Input published at full speed in stages: a host that keeps up with a paced publisher (a quiet CI machine)
        // would leave nothing to be behind on, and the kills would not land.
        var (exitCode, output, error) = await CliRun.RunAsync(
            "chaos", "--customers", "4", "--days", "1", "--rate", "0", "--seed", "3", "--kills", "2", "--max-kill-delay", "1s", "--timeout", "3m", "--work", work.Path);
        TestContext.Current.TestOutputHelper?.WriteLine(output);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("chaos: 0 difference(s) after 2 kill(s)", output, StringComparison.Ordinal);

        // Both runs read the input in the same three stages (kills + 1), the kill run's kills helped by the stages held back.
        Assert.Contains("clean: published stage 3/3", output, StringComparison.Ordinal);
        Assert.Contains("kill: published stage 3/3", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not done", output, StringComparison.Ordinal);

        // The simulated customers are in the CDN registry, so CUST0004's burst is capped in both runs.
        var decisions = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) cap decisions");
        Assert.True(decisions.Success && int.Parse(decisions.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output);
        Assert.DoesNotContain("kills landed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited with", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two hosts on one broker and one PostgreSQL store, one of them killed with SIGKILL three times (and restarted): the
    /// store, both hosts' APIs and the daily CDN billing messages end equal to a single-instance clean run. Runs where a PostgreSQL server is given
    /// (<c>STREAMBILLING_TEST_POSTGRES</c>, which <c>.ci/run</c> sets from <c>infra/postgres/start</c>).
    /// </summary>
    [Fact]
    public async Task Chaos_TwoInstancesOnASharedStore_OneKilledThreeTimes_SameOutputsAndApiAnswersAsASingleCleanRun()
    {
        if (Environment.GetEnvironmentVariable("STREAMBILLING_TEST_POSTGRES") is not { Length: > 0 } postgres)
        {
            Assert.Skip("Needs a PostgreSQL server: set STREAMBILLING_TEST_POSTGRES (infra/postgres/start prints one).");
            return;
        }

        using var work = new TempFolder();

        var (exitCode, output, error) = await CliRun.RunAsync(
            "chaos", "--customers", "4", "--days", "2.1", "--rate", "0", "--seed", "3", "--kills", "3", "--max-kill-delay", "1s", "--timeout", "4m",
            "--instances", "2", "--store-connection", postgres, "--work", work.Path);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("from the API of each of 2 host(s)", output, StringComparison.Ordinal);

        // 2.1 days: the first day's CDN billing messages are due (period end + 25 h), so the singleton duty is compared too.
        var messages = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) CDN usage messages");
        Assert.True(messages.Success && int.Parse(messages.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output);
        Assert.Contains("chaos: 0 difference(s) after 3 kill(s)", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The kill test in exactly-once mode on a real cluster (transactions, fencing by the static instance ids): runs where
    /// <c>KAFKA_BOOTSTRAP_SERVERS</c> and <c>SCHEMA_REGISTRY_URL</c> name one, e.g. <c>docker compose -f docker-compose.kafka.yml up -d kafka schema-registry</c>
    /// with <c>localhost:9094</c> and <c>http://localhost:8081</c>. The cluster's StreamBilling topics and groups are deleted first.
    /// </summary>
    [Fact]
    public async Task Chaos_RealClusterExactlyOnce_HostKilledTwice_SameOutputsAsACleanRun()
    {
        if (Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") is not { Length: > 0 } servers
            || Environment.GetEnvironmentVariable("SCHEMA_REGISTRY_URL") is not { Length: > 0 } registry)
        {
            Assert.Skip("Needs a real cluster: set KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL (the embedded cluster has no transactions).");
            return;
        }

        using var work = new TempFolder();

        var (exitCode, output, error) = await CliRun.RunAsync(
            "chaos", "--customers", "4", "--days", "1", "--rate", "0", "--seed", "3", "--kills", "2", "--max-kill-delay", "1s", "--timeout", "6m",
            "--bootstrap-servers", servers, "--schema-registry", registry, "--wipe", "--work", work.Path);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("(exactly-once, wiped before each run)", output, StringComparison.Ordinal);
        Assert.Contains("chaos: 0 difference(s) after 2 kill(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chaos_RealClusterWithoutWipeConsent_ExitsTwoBeforeTouchingIt()
    {
        var (exitCode, _, error) = await CliRun.RunAsync("chaos", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--bootstrap-servers needs --schema-registry URL and --wipe", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 3, new[] { 3, 3, 4 })]
    [InlineData(9, 3, new[] { 3, 3, 3 })]
    [InlineData(2, 3, new[] { 1, 1 })]
    [InlineData(5, 1, new[] { 5 })]
    [InlineData(0, 3, new[] { 0 })]
    public void InputStages_Split_SlicesInPublishOrderOfNearlyEqualSize(int items, int stages, int[] sizes)
    {
        var input = Enumerable.Range(0, items).ToList();

        var slices = InputStages.Split(input, stages);

        Assert.Equal(sizes, slices.Select(s => s.Count));
        Assert.Equal(input, slices.SelectMany(s => s));
    }

    [Theory]
    [InlineData("billing.invoices", true)]
    [InlineData("usage.cdn.traffic.dlq", true)]
    [InlineData("streambilling-invoices-invoice-entries-changelog", true)]
    [InlineData("__consumer_offsets", false)]
    [InlineData("_schemas", false)]
    [InlineData("orders", false)]
    public void RealClusterWipe_DeletesOnlyStreamBillingTopics(string topic, bool deleted) =>
        Assert.Equal(deleted, RealClusterWipe.IsStreamBillingTopic(topic));

    [Fact]
    public void Compare_InvoiceAmountDiffers_IsACountedInvoiceDifference()
    {
        var clean = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));
        var kill = Snapshot(Invoice("9.00", Line("L1", "Ec2", "9.00")));

        var difference = Assert.Single(ChaosComparison.Compare(kill, clean));

        Assert.Equal(("invoice", "C1/2024-07", false), (difference.Category, difference.Key, difference.VariesBetweenCleanRuns));
    }

    [Fact]
    public void Compare_OnlyAnElasticIpLineDiffers_IsCategorizedAsElasticIp()
    {
        var clean = Snapshot(Invoice("10.05", Line("L1", "Ec2", "10.00"), Line("L2", "ElasticIp", "0.05")));
        var kill = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));

        var difference = Assert.Single(ChaosComparison.Compare(kill, clean));

        Assert.Equal("invoice (Elastic IP)", difference.Category);
    }

    [Fact]
    public void Compare_OnlyVersionFieldsDiffer_IsNoDifference()
    {
        var clean = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));
        var kill = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));
        kill.Invoices["C1/2024-07"]["revision"] = 7;
        kill.Invoices["C1/2024-07"]["eventId"] = "other";

        Assert.Empty(ChaosComparison.Compare(kill, clean));
    }

    [Fact]
    public void Compare_IssuedAtDiffers_IsReportedButNotCounted()
    {
        var clean = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));
        var kill = Snapshot(Invoice("10.00", Line("L1", "Ec2", "10.00")));
        kill.Invoices["C1/2024-07"]["issuedAt"] = "2024-07-31T00:10:00+00:00";

        var difference = Assert.Single(ChaosComparison.Compare(kill, clean));

        Assert.Equal(("invoice issuedAt", true), (difference.Category, difference.VariesBetweenCleanRuns));
    }

    [Fact]
    public void Compare_ZeroInterimLineInOneRunOnly_IsReportedButNotCounted()
    {
        var clean = Snapshot();
        var kill = Snapshot();
        kill.PricedLines["p1"] = (ServiceKind.Ec2, true, "C1 Ec2 quantity 0 amount 0");
        kill.PricedLines["p2"] = (ServiceKind.Ec2, false, "C1 Ec2 quantity 1 amount 0.10");

        var differences = ChaosComparison.Compare(kill, clean);

        Assert.Equal([("priced line", false), ("priced line (zero interim slice)", true)], differences.Select(d => (d.Category, d.VariesBetweenCleanRuns)));
    }

    [Fact]
    public void Compare_RollupCostDiffers_IsCountedButALineCountAloneIsNot()
    {
        var clean = Snapshot();
        var kill = Snapshot();
        clean.Rollups["eu#Admin 2024-W30 2024-07-27 02:00:00 Ec2"] = "60 Minutes 0.05 USD 1";
        kill.Rollups["eu#Admin 2024-W30 2024-07-27 02:00:00 Ec2"] = "60 Minutes 0.05 USD 3";
        clean.Rollups["eu#Admin 2024-W30 2024-07-27 03:00:00 Ec2"] = "60 Minutes 0.05 USD 1";
        kill.Rollups["eu#Admin 2024-W30 2024-07-27 03:00:00 Ec2"] = "60 Minutes 0.04 USD 1";

        var differences = ChaosComparison.Compare(kill, clean);

        Assert.Equal([("rollup", false), ("rollup (line count or zero row only)", true)], differences.Select(d => (d.Category, d.VariesBetweenCleanRuns)));
    }

    [Fact]
    public void Compare_ACdnUsageMessageMissingOrSentTwiceWithOtherContent_IsCounted()
    {
        var clean = Snapshot();
        var kill = Snapshot();
        clean.CdnUsageMessages["m1"] = "C1 [2024-07-27T00:00:00Z, 2024-07-28T00:00:00Z) 12.5 GB";
        clean.CdnUsageMessages["m2"] = "C2 [2024-07-27T00:00:00Z, 2024-07-28T00:00:00Z) 3.0 GB";
        kill.CdnUsageMessages["m1"] = "C1 [2024-07-27T00:00:00Z, 2024-07-28T00:00:00Z) 12.5 GB";
        kill.ConflictingCdnUsageMessages.Add("m1: 12.5 GB, then 13.0 GB");

        var differences = ChaosComparison.Compare(kill, clean);

        Assert.Equal(
            [("cdn usage message", "m2", false), ("cdn usage message sent twice with other content", "kill", false)],
            differences.Select(d => (d.Category, d.Key, d.VariesBetweenCleanRuns)));
    }

    private static ChaosSnapshot Snapshot(params JsonObject[] invoices)
    {
        var snapshot = new ChaosSnapshot();
        foreach (var invoice in invoices)
        {
            snapshot.Invoices[(string)invoice["invoiceId"]!] = invoice;
        }

        return snapshot;
    }

    private static JsonObject Invoice(string actualAmount, params JsonObject[] lines) => new()
    {
        ["invoiceId"] = "C1/2024-07",
        ["eventId"] = "e1",
        ["revision"] = 3,
        ["issuedAt"] = "2024-07-31T00:00:00+00:00",
        ["status"] = "Final",
        ["actualAmount"] = actualAmount,
        ["lines"] = new JsonArray([.. lines]),
        ["corrections"] = new JsonArray(),
    };

    private static JsonObject Line(string id, string service, string amount) => new()
    {
        ["lineId"] = id,
        ["service"] = service,
        ["actualAmount"] = amount,
    };
}
