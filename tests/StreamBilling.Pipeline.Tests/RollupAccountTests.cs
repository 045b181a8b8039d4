using Avro;
using StreamBilling.Events.Common;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Storage;
using static StreamBilling.Pipeline.Tests.RollupDriver;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Hourly rollups belong to one customer account: accounts sharing a region, role and hour get a rollup each.</summary>
public sealed class RollupAccountTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TwoAccountsInOneRegionRoleAndHour_GetARollupEach()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("a-1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-a", account: "CUST001"));
        rollups.Pipe(Segment("b-1", "2024-08-01T10:00:00Z", "2024-08-01T10:45:00Z", instance: "i-b", account: "CUST002"));
        rollups.Pipe(Line("a-line", "2024-08-01T10:00:00Z", 0.0116m, account: "CUST001"));
        rollups.Pipe(Line("b-line", "2024-08-01T10:00:00Z", 0.0058m, account: "CUST002"));

        var latest = Latest(rollups.Read());

        Assert.Equal(
            [("CUST001", "us-east-1#Admin", 30m, 0.0116m, 1L), ("CUST002", "us-east-1#Admin", 45m, 0.0058m, 1L)],
            latest.Select(r => (r.customerId, r.partitionKey, AvroDecimal.ToDecimal(r.usageQuantity), AvroDecimal.ToDecimal(r.cost), r.lineCount)).OrderBy(r => r.customerId, StringComparer.Ordinal));
    }

    [Fact]
    public void RollupIds_AreDeterministic_AndDifferByAccount()
    {
        static string IdOf(string account)
        {
            using var rollups = new RollupDriver();
            rollups.Pipe(Segment("s-1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", account: account));
            return Assert.Single(Latest(rollups.Read())).eventId;
        }

        Assert.Equal(IdOf("CUST001"), IdOf("CUST001"));
        Assert.NotEqual(IdOf("CUST001"), IdOf("CUST002"));
        Assert.Equal(HourlyRollupProcessor.RollupId("CUST001", "us-east-1#Admin", ServiceKind.Ec2, T.At("2024-08-01T10:00:00Z")), IdOf("CUST001"));
    }

    [Fact]
    public async Task TwoAccountsThroughTheSink_AreTwoStoreRows_EachAnsweringForItsAccountOnly()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("a-1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-a", account: "CUST001"));
        rollups.Pipe(Segment("b-1", "2024-08-01T10:00:00Z", "2024-08-01T10:45:00Z", instance: "i-b", account: "CUST002"));
        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);

        await new RollupSink(store).WriteAsync(rollups.Read().Select(r => r.Value), Ct);

        var period = (From: T.At("2024-08-01T00:00:00Z"), Until: T.At("2024-08-02T00:00:00Z"));
        Assert.Equal(30m, Assert.Single(await WeeklyCostReport.QueryAsync(store, "CUST001", "Ec2", period.From, period.Until, Ct)).UsageQuantity);
        Assert.Equal(45m, Assert.Single(await WeeklyCostReport.QueryAsync(store, "CUST002", "Ec2", period.From, period.Until, Ct)).UsageQuantity);
        var all = Assert.Single(await WeeklyCostReport.QueryAsync(store, null, "Ec2", period.From, period.Until, Ct));
        Assert.Equal((75m, 2L), (all.UsageQuantity, all.Hours));
    }

    [Fact]
    public void AContributionWrittenBeforeAccounts_ReadsBackAsNoAccount()
    {
        var serde = RollupContributionSerde.Instance;
        var contribution = new RollupContribution("CUST001", "seg-1", false, "us-east-1", "Admin", ServiceKind.Ec2, T.At("2024-08-01T10:00:00Z"), 1800m, 0m, null);

        // Version 1 is version 2 without the trailing account string (4-byte length + UTF-8).
        var bytes = serde.Serialize(contribution, default)!;
        var version1 = bytes[..^(4 + "CUST001".Length)];
        version1[0] = 1;

        Assert.Equal(contribution with { CustomerId = RollupRow.NoAccount }, serde.Deserialize(version1, default));
    }
}
