using System.Text;
using Confluent.Kafka;

namespace StreamBilling.Kafka.Tests;

public sealed class DeadLetterHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Headers Build(Headers? original = null) => DeadLetterHeaders.Build(
        "billing-sink",
        new TopicPartitionOffset("usage.cdn.traffic", 3, 42),
        new Timestamp(new DateTimeOffset(2026, 2, 28, 23, 59, 59, 500, TimeSpan.Zero)),
        original,
        "Unknown magic byte!",
        "System.IO.InvalidDataException",
        Now);

    [Theory]
    [InlineData(DeadLetterHeaders.Error, "Unknown magic byte!")]
    [InlineData(DeadLetterHeaders.ErrorType, "System.IO.InvalidDataException")]
    [InlineData(DeadLetterHeaders.SourceTopic, "usage.cdn.traffic")]
    [InlineData(DeadLetterHeaders.SourcePartition, "3")]
    [InlineData(DeadLetterHeaders.SourceOffset, "42")]
    [InlineData(DeadLetterHeaders.SourceTimestamp, "2026-02-28T23:59:59.5000000+00:00")]
    [InlineData(DeadLetterHeaders.DeadLetteredAt, "2026-03-01T12:00:00.0000000+00:00")]
    [InlineData(DeadLetterHeaders.Id, "billing-sink:usage.cdn.traffic/3/42")]
    public void Build_WritesHeader(string name, string expected) =>
        Assert.Equal(expected, DeadLetterHeaders.Read(Build(), name));

    [Fact]
    public void Build_KeepsOriginalHeadersFirst()
    {
        var original = new Headers { { "traceparent", Encoding.UTF8.GetBytes("00-abc-def-01") } };
        var headers = Build(original);
        Assert.Equal("traceparent", headers[0].Key);
        Assert.Equal("00-abc-def-01", DeadLetterHeaders.Read(headers, "traceparent"));
    }

    [Fact]
    public void Build_NoSourceTimestamp_OmitsHeader()
    {
        var headers = DeadLetterHeaders.Build("g", new TopicPartitionOffset("t", 0, 1), Timestamp.Default, null, "e", "T", Now);
        Assert.Null(DeadLetterHeaders.Read(headers, DeadLetterHeaders.SourceTimestamp));
    }
}
