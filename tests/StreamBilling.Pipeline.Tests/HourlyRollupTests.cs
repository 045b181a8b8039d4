using Avro;
using StreamBilling.Events.Common;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Streams;
using static StreamBilling.Pipeline.Tests.Ec2Events;
using static StreamBilling.Pipeline.Tests.RollupDriver;

namespace StreamBilling.Pipeline.Tests;

public class HourlyRollupTests
{
    [Fact]
    public void SlicesInOneHour_AreSummedAsInstanceMinutes_PerRegionAndRole()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-1"));
        rollups.Pipe(Segment("s2", "2024-08-01T10:15:00Z", "2024-08-01T11:00:00Z", instance: "i-2"));
        rollups.Pipe(Segment("s3", "2024-08-01T10:00:00Z", "2024-08-01T10:10:00Z", region: "eu-west-1", role: "Dev"));

        var latest = Latest(rollups.Read());

        Assert.Equal(
            [("eu-west-1#Dev", "eu-west-1", "Dev", "2024-W31", 10m), ("us-east-1#Admin", "us-east-1", "Admin", "2024-W31", 75m)],
            latest.Select(r => (r.partitionKey, r.region, r.role, r.isoWeek, AvroDecimal.ToDecimal(r.usageQuantity))));
        Assert.All(latest, r => Assert.Equal((ServiceKind.Ec2, "Minutes", T.Utc("2024-08-01T10:00:00Z")), (r.service, r.usageUnit, r.hourStart)));
    }

    [Fact]
    public void EveryUpdateOfAnHour_CarriesTheSameId_KeyedByPartitionKey()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-1"));
        rollups.Pipe(Segment("s2", "2024-08-01T10:15:00Z", "2024-08-01T11:00:00Z", instance: "i-2"));

        var records = rollups.Read();
        Assert.Equal(2, records.Count);
        Assert.Single(records.Select(r => r.Id).Distinct());
        Assert.All(records, r => Assert.Equal(("us-east-1#Admin", r.Value.eventId), (r.Key, r.Id)));
    }

    [Fact]
    public void ManyChangesToAnHourInOneCommit_AreEmittedOnce_WithTheFinalTotals()
    {
        using var rollups = new RollupDriver();
        rollups.PipeBatch(
            Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-1"),
            Segment("s2", "2024-08-01T10:15:00Z", "2024-08-01T11:00:00Z", instance: "i-2"),
            Segment("s3", "2024-08-01T11:00:00Z", "2024-08-01T11:05:00Z", instance: "i-3"));

        Assert.Equal(
            [(T.Utc("2024-08-01T10:00:00Z"), 75m), (T.Utc("2024-08-01T11:00:00Z"), 5m)],
            rollups.Read().Select(r => (r.Value.hourStart, AvroDecimal.ToDecimal(r.Value.usageQuantity))));
    }

    [Fact]
    public void TheSameSegmentDeliveredTwice_IsCountedOnce()
    {
        using var rollups = new RollupDriver();
        var segment = Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z");
        rollups.Pipe(segment);
        rollups.Pipe(segment);

        var record = Assert.Single(rollups.Read());
        Assert.Equal(30m, AvroDecimal.ToDecimal(record.Value.usageQuantity));
    }

    [Fact]
    public void ANewVersionOfASlice_ReplacesItsContribution()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T11:00:00Z", instance: "i-1"));
        rollups.Pipe(Segment("s2", "2024-08-01T10:00:00Z", "2024-08-01T10:20:00Z", instance: "i-2"));

        // A late terminate voids i-1's interim slice under the same id.
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:00:00Z", instance: "i-1"), T.At("2024-08-01T12:00:00Z"));

        Assert.Equal(20m, AvroDecimal.ToDecimal(Latest(rollups.Read()).Single().usageQuantity));
    }

    [Fact]
    public void PricedLines_AddTheirCostOnce_AndAreCounted()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T11:00:00Z"));
        rollups.Pipe(Line("p1", "2024-08-01T10:00:00Z", 0.0104m));
        rollups.Pipe(Line("p2", "2024-08-01T10:00:00Z", 0.0208m));
        rollups.Pipe(Line("p1", "2024-08-01T10:00:00Z", 0.0104m));

        var rollup = Latest(rollups.Read()).Single();
        Assert.Equal((60m, 0.0312m, 2L, "USD"), (AvroDecimal.ToDecimal(rollup.usageQuantity), AvroDecimal.ToDecimal(rollup.cost), rollup.lineCount, rollup.currency));
    }

    [Fact]
    public void ContributionForAClosedHour_GoesToTheLateTopic()
    {
        using var rollups = new RollupDriver(new HourlyRollupOptions { Grace = TimeSpan.FromHours(2) });
        var late = rollups.Driver.CreateLateRecordsTopic();
        rollups.Pipe(Segment("s1", "2024-08-01T14:00:00Z", "2024-08-01T14:30:00Z"));
        rollups.Read();

        rollups.Pipe(Segment("s2", "2024-08-01T10:00:00Z", "2024-08-01T11:00:00Z"), T.At("2024-08-01T14:31:00Z"));

        Assert.Empty(rollups.Read());
        var record = Assert.Single(late.ReadLate(Serdes.Json<RollupContribution>()));
        Assert.Equal(("s2", "window-closed"), (record.Value.SourceId, record.Reason));
    }

    [Fact]
    public void PricedLineForAnHourNotStarted_WaitsForItsHour_AndTheOpenHoursKeepTheirTotals()
    {
        using var rollups = new RollupDriver();
        var late = rollups.Driver.CreateLateRecordsTopic();
        rollups.Pipe(Segment("s1", "2024-09-29T10:00:00Z", "2024-09-29T10:30:00Z", instance: "i-1"));

        // A reserved month priced at purchase: its usage starts next month.
        rollups.Pipe(Line("r1", "2024-10-01T00:00:00Z", 7.2m), T.At("2024-09-29T10:31:00Z"));
        rollups.Pipe(Segment("s2", "2024-09-29T10:30:00Z", "2024-09-29T10:40:00Z", instance: "i-2"));
        var september = Latest(rollups.Read()).Single();
        Assert.Equal((40m, 0m), (AvroDecimal.ToDecimal(september.usageQuantity), AvroDecimal.ToDecimal(september.cost)));

        // Stream time reaches October: the charge lands in its hour, once.
        rollups.Pipe(Segment("s3", "2024-10-01T00:00:00Z", "2024-10-01T00:10:00Z", instance: "i-3"));
        rollups.Pipe(Segment("s4", "2024-10-01T00:10:00Z", "2024-10-01T00:20:00Z", instance: "i-4"));

        var october = Latest(rollups.Read()).Single(r => r.hourStart == T.Utc("2024-10-01T00:00:00Z"));
        Assert.Equal((20m, 7.2m, 1L), (AvroDecimal.ToDecimal(october.usageQuantity), AvroDecimal.ToDecimal(october.cost), october.lineCount));
        Assert.Empty(late.ReadRecordsToList());
    }

    [Fact]
    public void PricedLineWaitingForItsHour_SurvivesARestart()
    {
        using var rollups = new RollupDriver();
        rollups.Pipe(Line("r1", "2024-10-01T00:00:00Z", 7.2m), T.At("2024-09-29T10:31:00Z"));
        var pending = rollups.Driver.GetChangelog("rollup-pending");

        using var restarted = new RollupDriver();
        restarted.Driver.RestoreStore("rollup-pending", pending);
        restarted.Pipe(Segment("s1", "2024-10-01T00:00:00Z", "2024-10-01T00:10:00Z"));

        Assert.Equal(7.2m, AvroDecimal.ToDecimal(Latest(restarted.Read()).Single().cost));
    }

    [Fact]
    public void PricedLineInAnotherCurrency_GoesToTheLateTopic_WithTheReason()
    {
        using var rollups = new RollupDriver();
        var late = rollups.Driver.CreateLateRecordsTopic();
        rollups.Pipe(Line("p1", "2024-08-01T10:00:00Z", 1m, currency: "EUR"));

        Assert.Empty(rollups.Read());
        Assert.Equal("currency-mismatch", Assert.Single(late.ReadLate(Serdes.Json<RollupContribution>())).Reason);
    }

    [Fact]
    public void PricedLineKeyedByAnythingButItsAccount_GoesToTheLateTopic_AndCountsNowhere()
    {
        // The rollups read their inputs in the account's task (no repartition): a line under another key would be
        // counted in another task's copy of its rollup.
        using var rollups = new RollupDriver();
        var late = rollups.Driver.CreateLateRecordsTopic();
        rollups.PipeKeyed("acct-2", Line("p1", "2024-08-01T10:00:00Z", 1m, account: "acct-1"));
        rollups.Pipe(Line("p2", "2024-08-01T10:00:00Z", 2m, account: "acct-1"));

        Assert.Equal(2m, AvroDecimal.ToDecimal(Latest(rollups.Read()).Single().cost));
        Assert.StartsWith("key-mismatch", Assert.Single(late.ReadLate(Serdes.Json<RollupContribution>())).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RunningInstanceFromTheSessionJoin_ShowsUpHourByHour()
    {
        using var sessions = new SessionDriver();
        using var rollups = new RollupDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T12:05:00Z");
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T12:30:00Z"));
        foreach (var segment in sessions.Read())
        {
            rollups.Pipe(segment.Value, segment.Timestamp);
        }

        Assert.Equal([45m, 60m, 30m], Latest(rollups.Read()).Select(r => AvroDecimal.ToDecimal(r.usageQuantity)));
    }

    [Fact]
    public void Replay_YieldsTheSameRollupsAndIds()
    {
        static List<(string?, decimal)> Run()
        {
            using var rollups = new RollupDriver();
            rollups.Pipe(Segment("s1", "2024-08-01T10:00:00Z", "2024-08-01T10:30:00Z", instance: "i-1"));
            rollups.Pipe(Segment("s2", "2024-08-01T11:00:00Z", "2024-08-01T11:45:00Z", instance: "i-2", role: "Dev"));
            rollups.Pipe(Line("p1", "2024-08-01T10:00:00Z", 0.5m));
            return [.. rollups.Read().Select(r => (r.Id, AvroDecimal.ToDecimal(r.Value.cost) + AvroDecimal.ToDecimal(r.Value.usageQuantity)))];
        }

        var first = Run();
        Assert.Equal(3, first.Count);
        Assert.Equal(first, Run());
    }

    [Theory]
    [InlineData("2024-08-12T00:00:00Z", "2024-W33")]
    [InlineData("2024-12-30T10:00:00Z", "2025-W01")]
    [InlineData("2021-01-03T23:00:00Z", "2020-W53")]
    public void IsoWeek_FollowsIso8601(string hour, string week) =>
        Assert.Equal(week, HourlyRollupProcessor.IsoWeekOf(T.At(hour)));
}
