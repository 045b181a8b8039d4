using StreamBilling.Pipeline.Rollups;
using StreamBilling.Storage;
using static StreamBilling.Pipeline.Tests.Ec2Events;
using static StreamBilling.Pipeline.Tests.RollupDriver;

namespace StreamBilling.Pipeline.Tests;

public sealed class RollupSinkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryVersionOfARollup_WrittenTwice_LeavesTheLatestOnce()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-1"));
        rollups.Pipe(Segment("s2", "2024-08-01T10:00:00Z", "2024-08-01T10:45:00Z", instance: "i-2"));
        var records = rollups.Read().Select(r => r.Value).ToList();
        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);
        var sink = new RollupSink(store);

        foreach (var record in records)
        {
            await sink.WriteAsync([record], Ct);
        }

        await sink.WriteAsync(records, Ct);

        var week = Assert.Single(await WeeklyCostReport.QueryAsync(store, null, "Ec2", T.At("2024-08-01T00:00:00Z"), T.At("2024-08-02T00:00:00Z"), Ct));
        Assert.Equal((75m, 1L), (week.UsageQuantity, week.Hours));
    }

    [Fact]
    public async Task SessionsThroughRollupsIntoTheStore_AnswerTheWeeklyQuestion()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-07-28T22:00:00Z"));
        sessions.Launch(Launch("l2", "i-2", "2024-07-29T09:00:00Z", role: "Dev"));
        sessions.AdvanceStreamTime("2024-07-29T10:00:00Z");
        sessions.Terminate(Terminate("t1", "i-1", "2024-07-29T01:30:00Z"), arrival: T.At("2024-07-29T10:01:00Z"));
        sessions.Terminate(Terminate("t2", "i-2", "2024-07-29T11:00:00Z", role: "Dev"));
        using var rollups = new RollupDriver();
        foreach (var segment in sessions.Read())
        {
            rollups.Pipe(segment.Value, segment.Timestamp);
        }

        await using var store = await UsageStores.OpenDuckDbAsync(_folder.File("usage.duckdb"), Ct);
        await new RollupSink(store).WriteAsync(rollups.Read().Select(r => r.Value), Ct);
        var rows = await WeeklyCostReport.QueryAsync(store, null, "Ec2", T.At("2024-07-01T00:00:00Z"), T.At("2024-08-01T00:00:00Z"), Ct);

        // i-1: 2 h on Sunday (W30) and 1.5 h on Monday (W31), its interim slices up to 10:00 voided; i-2: 2 h on Monday.
        Assert.Equal(
            [("Admin", "2024-W30", 120m), ("Admin", "2024-W31", 90m), ("Dev", "2024-W31", 120m)],
            rows.Select(r => (r.Role, r.IsoWeek, r.UsageQuantity)));
    }

    [Fact]
    public void ARollupWhoseKeyDisagreesWithItsFields_IsRejected()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z"));
        var rollup = rollups.Read().Single().Value;
        rollup.partitionKey = "us-east-1#Other";

        Assert.Throws<ArgumentException>(() => RollupSink.ToRow(rollup));
    }
}
