using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>
/// A session join written on the processor API, shaped like issue 5's InstanceSessionJoin: start/end events paired by
/// key in a store whatever their order, duplicates ignored, open sessions reported by a stream-time punctuator.
/// </summary>
public class JoinViaStoreTests
{
    private static Topology Build()
    {
        var builder = new StreamsBuilder("join-app");
        builder.AddStateStore(Stores.InMemoryKeyValue<string, Pending>("pending"));
        builder.Stream<string, Lifecycle>("lifecycle")
            .Process<string, Segment>(() => new SessionJoin(), ["pending"])
            .To("segments");
        return builder.Build();
    }

    [Fact]
    public void StartThenEnd_EmitsOneSegment()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, Lifecycle>("lifecycle");
        var output = driver.CreateOutputTopic<string, Segment>("segments");

        input.PipeInput("i-1", new Lifecycle("e1", true), T.At("2024-08-01T10:00:00Z"));
        input.PipeInput("i-1", new Lifecycle("e2", false), T.At("2024-08-01T12:30:00Z"));

        var segment = output.ReadRecord();
        Assert.Equal(new Segment("i-1", T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T12:30:00Z"), Closed: true), segment.Value);
        Assert.True(output.IsEmpty);
        Assert.False(driver.GetKeyValueStore<string, Pending>("pending").TryGet("i-1", out _));
    }

    [Fact]
    public void EndBeforeStart_IsPairedWhenTheStartArrives()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, Lifecycle>("lifecycle");
        var output = driver.CreateOutputTopic<string, Segment>("segments");

        input.PipeInput("i-2", new Lifecycle("e2", false), T.At("2024-08-01T12:30:00Z"));
        Assert.True(output.IsEmpty);
        input.PipeInput("i-2", new Lifecycle("e1", true), T.At("2024-08-01T10:00:00Z"));

        Assert.Equal(new Segment("i-2", T.At("2024-08-01T10:00:00Z"), T.At("2024-08-01T12:30:00Z"), Closed: true), output.ReadValue());
    }

    [Fact]
    public void DuplicateEvents_AreCountedOnce()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, Lifecycle>("lifecycle");
        var output = driver.CreateOutputTopic<string, Segment>("segments");

        input.PipeInput("i-3", new Lifecycle("e1", true), T.At("2024-08-01T10:00:00Z"));
        input.PipeInput("i-3", new Lifecycle("e1", true), T.At("2024-08-01T10:00:00Z"));
        input.PipeInput("i-3", new Lifecycle("e2", false), T.At("2024-08-01T11:00:00Z"));
        input.PipeInput("i-3", new Lifecycle("e2", false), T.At("2024-08-01T11:00:00Z"));

        Assert.Single(output.ReadRecordsToList());
    }

    [Fact]
    public void OpenSession_IsReportedEachHourByAStreamTimePunctuator_WithStableIds()
    {
        using var driver = new TopologyTestDriver(Build());
        var input = driver.CreateInputTopic<string, Lifecycle>("lifecycle");
        var output = driver.CreateOutputTopic<string, Segment>("segments");

        input.PipeInput("i-4", new Lifecycle("e1", true), T.At("2024-08-01T10:15:00Z"));
        input.PipeInput("other", new Lifecycle("x1", true), T.At("2024-08-01T11:05:00Z"));

        var open = output.ReadRecordsToList().Where(r => r.Key == "i-4").ToList();
        var report = Assert.Single(open);
        Assert.Equal(new Segment("i-4", T.At("2024-08-01T10:15:00Z"), T.At("2024-08-01T11:00:00Z"), Closed: false), report.Value);
        Assert.Equal("i-4@2024-08-01T11:00:00.0000000+00:00", report.Id);
    }

    private sealed record Lifecycle(string EventId, bool IsStart);

    private sealed record Pending(string? StartEventId, DateTimeOffset? Start, string? EndEventId, DateTimeOffset? End);

    private sealed record Segment(string InstanceId, DateTimeOffset Start, DateTimeOffset End, bool Closed);

    private sealed class SessionJoin : IProcessor<string, Lifecycle>
    {
        private IProcessorContext _context = null!;
        private IKeyValueStore<string, Pending> _pending = null!;

        public void Init(IProcessorContext context)
        {
            _context = context;
            _pending = context.GetStateStore<IKeyValueStore<string, Pending>>("pending");
            context.Schedule(TimeSpan.FromHours(1), PunctuationType.StreamTime, ReportOpenSessions);
        }

        public void Process(Record<string, Lifecycle> record)
        {
            var state = _pending.TryGet(record.Key, out var existing) ? existing : new Pending(null, null, null, null);
            if (record.Value.IsStart)
            {
                if (state.StartEventId == record.Value.EventId)
                {
                    return;
                }

                state = state with { StartEventId = record.Value.EventId, Start = record.Timestamp };
            }
            else
            {
                if (state.EndEventId == record.Value.EventId)
                {
                    return;
                }

                state = state with { EndEventId = record.Value.EventId, End = record.Timestamp };
            }

            if (state.Start is { } start && state.End is { } end)
            {
                // Keep a closed marker so a late duplicate of either event is recognised and dropped.
                _pending.Put(record.Key, state with { Start = null, End = null });
                _context.Forward(new Record<string, Segment>(record.Key, new Segment(record.Key, start, end, Closed: true), end) { Id = $"{record.Key}@{start:O}-{end:O}" });
                _pending.Delete(record.Key);
                return;
            }

            _pending.Put(record.Key, state);
        }

        public void Close()
        {
        }

        private void ReportOpenSessions(DateTimeOffset streamTime)
        {
            var hour = new DateTimeOffset(streamTime.Year, streamTime.Month, streamTime.Day, streamTime.Hour, 0, 0, TimeSpan.Zero);
            foreach (var (instance, state) in _pending.All().ToList())
            {
                if (state.Start is { } start && state.End is null && start < hour)
                {
                    _context.Forward(new Record<string, Segment>(instance, new Segment(instance, start, hour, Closed: false), hour) { Id = $"{instance}@{hour:O}" });
                }
            }
        }
    }
}
