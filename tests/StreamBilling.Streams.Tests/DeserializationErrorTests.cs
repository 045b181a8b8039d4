using StreamBilling.Streams.Testing;

namespace StreamBilling.Streams.Tests;

/// <summary>Input the source serdes cannot read: dead-lettered (the default) or failing the task, never processed.</summary>
public class DeserializationErrorTests
{
    private static readonly ISerde<Windowed<string>> WindowedKeys = HourlySum.WindowedKeys;

    private static byte[] Bytes(long value) => Serdes.BigEndianInt64.Serialize(value, default)!;

    [Fact]
    public void DeadLetter_PoisonBetweenGoodRecords_IsHandedOverWithItsBytesAndCoordinates_AndTheRestIsProcessed()
    {
        using var driver = new TopologyTestDriver(HourlySum.Build("poison-dlq"));
        var raw = driver.CreateInputTopic("usage", Serdes.Bytes, Serdes.Bytes);
        var output = driver.CreateOutputTopic("sums-out", WindowedKeys, Serdes.BigEndianInt64);
        var headers = new Headers();
        headers.Add("origin", "attacker");

        raw.PipeInput("c"u8.ToArray(), Bytes(5), T.At("2024-08-01T10:00:00Z"));
        raw.PipeInput("c"u8.ToArray(), [1, 2, 3], T.At("2024-08-01T10:05:00Z"), headers);
        raw.PipeInput("c"u8.ToArray(), Bytes(7), T.At("2024-08-01T10:10:00Z"));

        Assert.Equal([5L, 12L], output.ReadRecordsToList().Select(r => r.Value));
        var dead = Assert.Single(driver.DeadLetters);
        Assert.Equal(("poison-dlq", new TaskId(0, 0), "usage", 0, 1L), (dead.ApplicationId, dead.TaskId, dead.Record.Topic, dead.Record.Partition, dead.Record.Offset));
        Assert.Equal(T.At("2024-08-01T10:05:00Z"), dead.Record.Timestamp);
        Assert.Equal("c"u8.ToArray(), dead.Record.Key);
        Assert.Equal([1, 2, 3], dead.Record.Value);
        Assert.Equal("attacker", dead.Record.Headers?.GetLastString("origin"));
        Assert.IsType<FormatException>(dead.Error);
        Assert.StartsWith("cannot deserialize the value: Int64 serde expects 8 bytes, got 3", dead.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadLetter_PoisonWithALaterTimestamp_DoesNotAdvanceStreamTime()
    {
        using var driver = new TopologyTestDriver(HourlySum.Build("poison-time"));
        var raw = driver.CreateInputTopic("usage", Serdes.Bytes, Serdes.Bytes);
        var output = driver.CreateOutputTopic("sums-out", WindowedKeys, Serdes.BigEndianInt64);
        var late = driver.CreateOutputTopic(driver.LateRecordsTopic, Serdes.Bytes, Serdes.Bytes);

        raw.PipeInput("c"u8.ToArray(), Bytes(5), T.At("2024-08-01T10:00:00Z"));
        raw.PipeInput("c"u8.ToArray(), "not a number"u8.ToArray(), T.At("2024-08-01T15:00:00Z"));
        raw.PipeInput("c"u8.ToArray(), Bytes(7), T.At("2024-08-01T10:30:00Z"));

        // Had the poison moved stream time to 15:00, the 10:00 window would be closed and 7 would be late.
        Assert.Equal(T.At("2024-08-01T10:30:00Z"), driver.StreamTime());
        Assert.Equal([5L, 12L], output.ReadRecordsToList().Select(r => r.Value));
        Assert.True(late.IsEmpty);
        Assert.Single(driver.DeadLetters);
    }

    [Fact]
    public void DeadLetter_UnreadableKey_NamesTheKey()
    {
        var builder = new StreamsBuilder("poison-key");
        builder.Stream("usage", Serdes.BigEndianInt64, Serdes.BigEndianInt64).To("out", Serdes.BigEndianInt64, Serdes.BigEndianInt64);
        using var driver = new TopologyTestDriver(builder.Build());

        driver.CreateInputTopic("usage", Serdes.Bytes, Serdes.Bytes).PipeInput([9], Bytes(1), T.At("2024-08-01T10:00:00Z"));

        Assert.StartsWith("cannot deserialize the key:", Assert.Single(driver.DeadLetters).Reason, StringComparison.Ordinal);
        Assert.True(driver.CreateOutputTopic("out", Serdes.BigEndianInt64, Serdes.BigEndianInt64).IsEmpty);
    }

    [Fact]
    public void Fail_Poison_ThrowsWithTheRecordsCoordinates_AndKeepsStreamTime()
    {
        using var driver = new TopologyTestDriver(HourlySum.Build("poison-fail"), new TopologyTestDriverOptions { DeserializationErrors = DeserializationErrorPolicy.Fail });
        var raw = driver.CreateInputTopic("usage", Serdes.Bytes, Serdes.Bytes);
        raw.PipeInput("c"u8.ToArray(), Bytes(5), T.At("2024-08-01T10:00:00Z"));

        var error = Assert.Throws<RecordDeserializationException>(() => raw.PipeInput("c"u8.ToArray(), [1, 2, 3], T.At("2024-08-01T12:00:00Z")));

        Assert.Equal(("usage", 0, 1L), (error.Failure.Record.Topic, error.Failure.Record.Partition, error.Failure.Record.Offset));
        Assert.IsType<FormatException>(error.InnerException);
        Assert.Contains("usage/0/1", error.Message, StringComparison.Ordinal);
        Assert.Equal(T.At("2024-08-01T10:00:00Z"), driver.StreamTime());
        Assert.Empty(driver.DeadLetters);
    }

    [Fact]
    public void StreamTask_WithoutAHandler_Fails()
    {
        using var task = new StreamTask(HourlySum.Build("poison-task"), new TaskId(0, 0), new StreamTaskOptions { Collector = new ListCollector() });

        Assert.Throws<RecordDeserializationException>(() => task.Process(new ConsumedRecord("usage", 0, 0, T.At("2024-08-01T10:00:00Z"), "c"u8.ToArray(), [0])));
    }
}
