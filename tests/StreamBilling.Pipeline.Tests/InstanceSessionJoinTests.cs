using System.Text.Json;
using StreamBilling.Billing;
using StreamBilling.Events.Ec2;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Streams;
using static StreamBilling.Pipeline.Tests.Ec2Events;

namespace StreamBilling.Pipeline.Tests;

public class InstanceSessionJoinTests
{
    [Fact]
    public void LaunchThenTerminate_WithinAnHour_EmitsOneFinalSegment()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:45:00Z"));

        var record = Assert.Single(sessions.Read());
        var segment = record.Value;
        Assert.Equal("acct-1", record.Key);
        Assert.Equal(("i-1/l1", "Admin", "us-east-1"), (segment.sessionId, segment.role, segment.region));
        Assert.Equal((T.Utc("2024-08-01T10:15:00Z"), T.Utc("2024-08-01T10:45:00Z")), (segment.segmentStart, segment.segmentEnd));
        Assert.True(segment.isFinal);
        Assert.Equal(T.Utc("2024-08-01T10:45:00Z"), segment.sessionEnd);
        Assert.Equal(["l1", "t1"], segment.sourceEventIds);
        Assert.Equal(segment.eventId, record.Id);
    }

    [Fact]
    public void SessionAcrossHours_IsCutIntoContiguousHourlySlices_OnlyTheLastFinal()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T12:30:00Z"));

        var slices = sessions.Read().Select(r => r.Value).ToList();
        Assert.Equal(
            [
                (T.Utc("2024-08-01T10:15:00Z"), T.Utc("2024-08-01T11:00:00Z"), false),
                (T.Utc("2024-08-01T11:00:00Z"), T.Utc("2024-08-01T12:00:00Z"), false),
                (T.Utc("2024-08-01T12:00:00Z"), T.Utc("2024-08-01T12:30:00Z"), true),
            ],
            slices.Select(s => (s.segmentStart, s.segmentEnd, s.isFinal)));
    }

    [Fact]
    public void TerminateBeforeLaunch_IsPairedWhenTheLaunchArrives()
    {
        using var sessions = new SessionDriver();
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:45:00Z"));
        Assert.Empty(sessions.Read());

        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"), arrival: T.At("2024-08-01T10:46:00Z"));

        var segment = Assert.Single(sessions.Read()).Value;
        Assert.Equal((T.Utc("2024-08-01T10:15:00Z"), T.Utc("2024-08-01T10:45:00Z"), true), (segment.segmentStart, segment.segmentEnd, segment.isFinal));
    }

    [Fact]
    public void SlicesReportedBeforeTheTerminate_EqualThoseOfATerminateThatCameAtOnce()
    {
        static Dictionary<string, string> Run(bool interimFirst)
        {
            using var sessions = new SessionDriver();
            sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
            if (interimFirst)
            {
                sessions.AdvanceStreamTime("2024-08-01T12:10:00Z");
            }

            sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T12:30:00Z"));
            return SessionDriver.Latest(sessions.Read())
                .Where(s => s.instanceId == "i-1")
                .ToDictionary(s => s.eventId, s => $"{s.segmentStart:O}|{s.segmentEnd:O}|{s.sessionEnd:O}|{s.isFinal}|{string.Join(',', s.sourceEventIds)}", StringComparer.Ordinal);
        }

        // Only the slice holding the end names the terminate: the others are the same whenever the terminate arrived.
        var atOnce = Run(interimFirst: false);
        Assert.Equal(atOnce, Run(interimFirst: true));
        Assert.Single(atOnce.Values, v => v.EndsWith("|True|l1,t1", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateLaunchesAndTerminates_AreProcessedOnce()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:45:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:45:00Z"));
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));

        Assert.Single(sessions.Read());
    }

    [Fact]
    public void OpenSession_ReportsEveryCompletedHour_AsStreamTimeAdvances()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T10:59:00Z");
        Assert.Empty(sessions.Read());

        sessions.AdvanceStreamTime("2024-08-01T11:05:00Z");
        var first = Assert.Single(sessions.Read()).Value;
        Assert.Equal((T.Utc("2024-08-01T10:15:00Z"), T.Utc("2024-08-01T11:00:00Z"), false, (DateTime?)null), (first.segmentStart, first.segmentEnd, first.isFinal, first.sessionEnd));

        // Stream time jumping three hours reports each completed hour as its own slice.
        sessions.AdvanceStreamTime("2024-08-01T14:10:00Z");
        Assert.Equal(
            [T.Utc("2024-08-01T11:00:00Z"), T.Utc("2024-08-01T12:00:00Z"), T.Utc("2024-08-01T13:00:00Z")],
            sessions.Read().Select(r => r.Value.segmentStart));
    }

    [Fact]
    public void OpenSession_IsCutAtTheMonthBoundary_SoMonthToDateIncludesIt()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-07-31T22:30:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T00:00:00Z");

        var july = sessions.Read().Select(r => r.Value).ToList();
        Assert.Equal(T.Utc("2024-08-01T00:00:00Z"), july[^1].segmentEnd);
        Assert.Equal(2, july.Sum(SegmentHours.Billed));
        Assert.All(july, s => Assert.Equal(7, s.segmentStart.Month));
    }

    [Fact]
    public void TerminateArrivingAfterInterimSlices_ShortensTheLastAndVoidsTheRest_UnderTheSameIds()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T13:05:00Z");
        var interim = sessions.Read();
        Assert.Equal(3, interim.Count);

        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:50:00Z"), arrival: T.At("2024-08-01T13:06:00Z"));
        var corrections = sessions.Read();

        Assert.Equal(interim.Select(r => r.Id), corrections.Select(r => r.Id));
        var latest = SessionDriver.Latest([.. interim, .. corrections]);
        Assert.Equal(
            [
                (T.Utc("2024-08-01T10:15:00Z"), T.Utc("2024-08-01T10:50:00Z"), true),
                (T.Utc("2024-08-01T11:00:00Z"), T.Utc("2024-08-01T11:00:00Z"), false),
                (T.Utc("2024-08-01T12:00:00Z"), T.Utc("2024-08-01T12:00:00Z"), false),
            ],
            latest.Select(s => (s.segmentStart, s.segmentEnd, s.isFinal)));
        Assert.Equal(1, latest.Sum(SegmentHours.Billed));
    }

    [Fact]
    public void TerminateExactlyOnAReportedHour_ReEmitsThatSliceAsFinal()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T12:01:00Z");
        var interim = sessions.Read();

        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T12:00:00Z"), arrival: T.At("2024-08-01T12:02:00Z"));

        var final = Assert.Single(sessions.Read());
        Assert.Equal(interim[^1].Id, final.Id);
        Assert.Equal((T.Utc("2024-08-01T11:00:00Z"), T.Utc("2024-08-01T12:00:00Z"), true), (final.Value.segmentStart, final.Value.segmentEnd, final.Value.isFinal));
    }

    [Fact]
    public void EmptySession_EmitsOneEmptyFinalSlice_BilledZeroHours()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:15:00Z"));

        var segment = Assert.Single(sessions.Read()).Value;
        Assert.Equal((segment.segmentStart, true), (segment.segmentEnd, segment.isFinal));
        Assert.Equal(0, SegmentHours.Billed(segment));
    }

    [Fact]
    public void RestartedInstance_GivesTwoSessions_EachTerminatePairedWithItsLaunch()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:00:00Z"));
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T10:20:00Z"));
        sessions.Terminate(Terminate("t2", "i-1", "2024-08-01T10:50:00Z"));
        sessions.Launch(Launch("l2", "i-1", "2024-08-01T10:40:00Z"), arrival: T.At("2024-08-01T10:51:00Z"));

        var segments = sessions.Read().Select(r => r.Value).ToList();
        Assert.Equal(
            [("i-1/l1", T.Utc("2024-08-01T10:20:00Z")), ("i-1/l2", T.Utc("2024-08-01T10:50:00Z"))],
            segments.Select(s => (s.sessionId, s.segmentEnd)));
    }

    [Fact]
    public void TerminateWithoutLaunch_GoesToTheLateRecordsTopicAfterTheRetention()
    {
        using var sessions = new SessionDriver(new InstanceSessionOptions { OrphanRetention = TimeSpan.FromHours(2) });
        var late = sessions.Driver.CreateLateRecordsTopic();
        sessions.Terminate(Terminate("t1", "i-9", "2024-08-01T10:45:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T12:30:00Z");
        Assert.True(late.IsEmpty);

        sessions.AdvanceStreamTime("2024-08-01T13:00:00Z");

        var record = Assert.Single(late.ReadLate(sessions.Serdes.For<InstanceTerminated>()));
        Assert.Equal(("i-9", "t1"), (record.Key, record.Value.eventId));
        Assert.Equal("terminate-without-launch", record.Reason);
    }

    [Fact]
    public void TerminateBeforeItsRunningLaunch_RejectsBothAtOnce_AndVoidsTheReportedHours()
    {
        using var sessions = new SessionDriver();
        var late = sessions.Driver.CreateLateRecordsTopic();
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T13:05:00Z");
        var interim = sessions.Read();
        Assert.Equal(3, interim.Count);

        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T09:00:00Z"), arrival: T.At("2024-08-01T13:06:00Z"));
        var voids = sessions.Read();
        sessions.AdvanceStreamTime("2024-08-01T18:05:00Z");

        Assert.Equal(interim.Select(r => r.Id), voids.Select(r => r.Id));
        Assert.Equal(0, SessionDriver.Latest([.. interim, .. voids]).Sum(SegmentHours.Billed));
        Assert.Empty(sessions.Read());
        Assert.Equal(
            [("launch l1", "i-1", "terminate-before-launch"), ("terminate t1", "i-1", "terminate-before-launch")],
            LateRecords(sessions, late));
    }

    [Fact]
    public void LaunchAfterItsEarlierTerminate_RejectsBothAtOnce_LikeTheOtherOrder()
    {
        using var sessions = new SessionDriver();
        var late = sessions.Driver.CreateLateRecordsTopic();
        sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T09:00:00Z"));
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T13:05:00Z");

        Assert.Empty(sessions.Read());
        Assert.Equal(
            [("launch l1", "i-1", "terminate-before-launch"), ("terminate t1", "i-1", "terminate-before-launch")],
            LateRecords(sessions, late));

        // A re-sent copy of the rejected launch is a duplicate, not a new session.
        sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"), arrival: T.At("2024-08-01T13:06:00Z"));
        sessions.AdvanceStreamTime("2024-08-01T15:05:00Z");
        Assert.Empty(sessions.Read());
    }

    [Fact]
    public void Replay_ProducesTheSameIdsAndSegments()
    {
        static List<(string?, string)> Run()
        {
            using var sessions = new SessionDriver();
            sessions.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
            sessions.Launch(Launch("l2", "i-2", "2024-08-01T10:30:00Z"));
            sessions.AdvanceStreamTime("2024-08-01T12:05:00Z");
            sessions.Terminate(Terminate("t1", "i-1", "2024-08-01T12:10:00Z"));
            sessions.Terminate(Terminate("t2", "i-2", "2024-08-01T11:10:00Z"), arrival: T.At("2024-08-01T12:11:00Z"));
            return [.. sessions.Read().Select(r => (r.Id, $"{r.Value.sessionId} {r.Value.segmentStart:O} {r.Value.segmentEnd:O} {r.Value.isFinal}"))];
        }

        var first = Run();
        Assert.NotEmpty(first);
        Assert.Equal(first, Run());
    }

    [Fact]
    public void RestoredFromTheChangelog_ContinuesTheOpenSession()
    {
        List<ChangelogRecord> changelog;
        using (var before = new SessionDriver())
        {
            before.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
            before.AdvanceStreamTime("2024-08-01T11:05:00Z");
            Assert.Single(before.Read());
            changelog = [.. before.Driver.GetChangelog(before.Options.StoreName)];
        }

        using var after = new SessionDriver();
        after.Driver.RestoreStore(after.Options.StoreName, changelog);
        after.Launch(Launch("l1", "i-1", "2024-08-01T10:15:00Z"));
        after.Terminate(Terminate("t1", "i-1", "2024-08-01T11:30:00Z"));

        var segment = Assert.Single(after.Read()).Value;
        Assert.Equal((T.Utc("2024-08-01T11:00:00Z"), T.Utc("2024-08-01T11:30:00Z"), true), (segment.segmentStart, segment.segmentEnd, segment.isFinal));
    }

    [Theory]
    [InlineData("2024-07-31T22:30:00Z", "2024-08-01T01:10:00Z", "2024-08-01T05:00:00Z")]
    [InlineData("2024-08-01T10:00:00Z", "2024-08-01T10:00:01Z", "2024-08-01T12:00:00Z")]
    [InlineData("2024-08-31T23:59:59Z", "2024-09-01T00:00:01Z", "2024-09-01T03:00:00Z")]
    [InlineData("2024-02-28T20:17:00Z", "2024-03-02T04:00:00Z", "2024-03-01T10:00:00Z")]
    [InlineData("2024-08-01T10:00:00Z", "2024-08-01T13:00:00Z", "2024-08-01T15:30:00Z")]
    public void BilledHoursOfTheLatestSlices_EqualTheBatchBillPerMonth(string start, string end, string streamTimeBeforeTerminate)
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Launch("l1", "i-1", start));
        sessions.AdvanceStreamTime(streamTimeBeforeTerminate);
        var terminateArrival = T.At(end) > T.At(streamTimeBeforeTerminate) ? T.At(end) : T.At(streamTimeBeforeTerminate);
        sessions.Terminate(Terminate("t1", "i-1", end), arrival: terminateArrival);

        var latest = SessionDriver.Latest(sessions.Read());
        var pipeline = latest.GroupBy(s => (s.segmentStart.Year, s.segmentStart.Month)).ToDictionary(g => g.Key, g => g.Sum(SegmentHours.Billed));
        var batch = MonthSplitter.Split(T.At(start), T.At(end)).ToDictionary(p => (p.From.Year, p.From.Month), p => p.BilledHours);
        Assert.Equal(batch.OrderBy(kv => kv.Key), pipeline.OrderBy(kv => kv.Key));
        Assert.Single(latest, s => s.isFinal);
    }

    /// <summary>Kind and event id (launch: JSON; terminate: Avro), key and reason of each late record, in order.</summary>
    private static List<(string Event, string Key, string? Reason)> LateRecords(SessionDriver sessions, Streams.Testing.TestOutputTopic<byte[], Streams.RejectedRecord> late)
    {
        var records = new List<(string, string, string?)>();
        foreach (var record in late.ReadLate(new RawBytes()))
        {
            var context = new SerdeContext(sessions.Options.LateRecordsTopic, false);
            var description = record.Value[0] == (byte)'{'
                ? JsonDocument.Parse(record.Value).RootElement is var json && json.GetProperty("isLaunch").GetBoolean() ? "launch " + json.GetProperty("eventId").GetString() : "not a launch"
                : "terminate " + sessions.Serdes.For<InstanceTerminated>().Deserialize(record.Value, context).eventId;
            records.Add((description, record.Key, record.Reason));
        }

        return records;
    }

    /// <summary>The late topic holds JSON launches and Avro terminates: read the bytes.</summary>
    private sealed class RawBytes : ISerde<byte[]>
    {
        public byte[]? Serialize(byte[] data, SerdeContext context) => data;

        public byte[] Deserialize(byte[]? data, SerdeContext context) => data ?? [];
    }
}
