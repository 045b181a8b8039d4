using System.Text;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Streams;

namespace StreamBilling.Cli.Tests;

/// <summary><c>streambilling late</c> on a <c>streambilling broker</c>: late records written in the pipeline's envelope, read back as an operator would.</summary>
public sealed class LateCommandTests
{
    private const string LateTopic = "test-pricing-late-records";

    [Fact]
    public async Task Late_PrintsEachRecordsReasonSourceAndDecodedValue()
    {
        using var work = new TempFolder();
        using var broker = EmbeddedBroker.Start(1, [.. Topics.AllWithDeadLetters(), new TopicSpec(LateTopic, 1)], work.Sub("broker.address"));
        await ProduceAsync(broker);

        var (exitCode, output, error) = await CliRun.RunAsync("late", LateTopic, "--bootstrap-servers", broker.BootstrapServers);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("0/0 wrong-data-source: only Cost Explorer figures are billed | test-pricing cdn-pricer reading usage.cdn.cost-explorer/0/7 |", lines[0], StringComparison.Ordinal);
        Assert.Contains("| key CUST001 | (schema ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(
            ") CdnTraffic { eventId = \"cw-1\", source = \"test\", customerId = \"CUST001\", distributionId = \"E1\", dataSource = CloudWatch, periodStart = 2024-08-01T10:00:00.0000000Z, periodEnd = 2024-08-01T10:01:00.0000000Z, bytes = 50 }",
            lines[0],
            StringComparison.Ordinal);
        Assert.StartsWith("0/1 unpaired-run: its end never came | test-pricing media-runs reading a punctuation | time 2024-08-01T10:01:00.0000000Z stream time none |", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("| value {\"jobId\":\"job-1\"}", lines[1], StringComparison.Ordinal);
        Assert.Equal("2 of 2 late record(s) on " + LateTopic, lines[2]);
    }

    [Fact]
    public async Task Late_ReasonFilter_PrintsOnlyThoseRecords()
    {
        using var work = new TempFolder();
        using var broker = EmbeddedBroker.Start(1, [.. Topics.AllWithDeadLetters(), new TopicSpec(LateTopic, 1)], work.Sub("broker.address"));
        await ProduceAsync(broker);

        var (exitCode, output, error) = await CliRun.RunAsync("late", LateTopic, "--bootstrap-servers", broker.BootstrapServers, "--reason", "unpaired-run");

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            ["0/1 unpaired-run", "1 of 2 late record(s) on " + LateTopic],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(':')[0]));
    }

    /// <summary>A rejected Avro figure read from its topic and a JSON run edge rejected by a punctuation, as the pipeline writes them.</summary>
    private static async Task ProduceAsync(EmbeddedBroker broker)
    {
        var serdes = new AvroSerdes(broker.SchemaRegistry);
        var figure = new CdnTraffic
        {
            eventId = "cw-1",
            source = "test",
            customerId = "CUST001",
            distributionId = "E1",
            dataSource = CdnDataSource.CloudWatch,
            periodStart = new DateTime(2024, 8, 1, 10, 0, 0, DateTimeKind.Utc),
            periodEnd = new DateTime(2024, 8, 1, 10, 1, 0, DateTimeKind.Utc),
            bytes = 50,
        };
        var rejected = new[]
        {
            new RejectedRecord
            {
                Id = "late-1", ApplicationId = "test-pricing", Reason = "wrong-data-source: only Cost Explorer figures are billed", RejectedBy = "cdn-pricer",
                SourceTopic = Topics.CdnCostExplorer, SourcePartition = 0, SourceOffset = 7, Timestamp = new DateTimeOffset(figure.periodEnd), StreamTime = new DateTimeOffset(figure.periodEnd).AddMinutes(1),
                Key = "CUST001"u8.ToArray(), Value = serdes.For<CdnTraffic>().Serialize(figure, new SerdeContext(LateTopic, false, EmbeddedPayload: true)),
            },
            new RejectedRecord
            {
                Id = "late-2", ApplicationId = "test-pricing", Reason = "unpaired-run: its end never came", RejectedBy = "media-runs",
                Timestamp = new DateTimeOffset(figure.periodEnd), Key = "job-1"u8.ToArray(), Value = Encoding.UTF8.GetBytes("{\"jobId\":\"job-1\"}"),
            },
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        foreach (var late in rejected)
        {
            await producer.ProduceAsync(LateTopic, new Message<byte[], byte[]> { Key = late.Key!, Value = serdes.LateRecords.Serialize(late, new SerdeContext(LateTopic, false))! }, TestContext.Current.CancellationToken);
        }
    }
}
