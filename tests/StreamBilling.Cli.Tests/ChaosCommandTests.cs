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

        // Input published before the host starts: a host that keeps up with a paced publisher (a quiet CI machine)
        // would leave nothing to be behind on, and the kills would not land.
        var (exitCode, output, error) = await CliRun.RunAsync(
            "chaos", "--customers", "4", "--days", "1", "--rate", "0", "--seed", "3", "--kills", "2", "--max-kill-delay", "1s", "--timeout", "3m", "--work", work.Path);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("chaos: 0 difference(s) after 2 kill(s)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("kills landed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited with", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two hosts on one broker and one PostgreSQL store, one of them killed with SIGKILL three times (and restarted): the
    /// store and both hosts' APIs end equal to a single-instance clean run. Runs where a PostgreSQL server is given
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
            "chaos", "--customers", "4", "--days", "1", "--rate", "0", "--seed", "3", "--kills", "3", "--max-kill-delay", "1s", "--timeout", "4m",
            "--instances", "2", "--store-connection", postgres, "--work", work.Path);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("from the API of each of 2 host(s)", output, StringComparison.Ordinal);
        Assert.Contains("chaos: 0 difference(s) after 3 kill(s)", output, StringComparison.Ordinal);
    }

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
