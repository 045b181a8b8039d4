using System.Text;
using Confluent.Kafka;
using StreamBilling.Cli.Commands;
using StreamBilling.Events.Cdn;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Tests;

/// <summary>The pipeline bench's compact input: each event comes back as it was encoded, and a sample is found by its event id.</summary>
public sealed class BenchInputTests
{
    private static readonly DateTimeOffset Start = new(2024, 8, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Encode_GivesBackEachEventsTopicKeyValueAndTimestamp_AndWhoReadsIt()
    {
        SimulatedEvent[] events = [Sample("cw-1", "c1", 0), Figure("ce-1", "c2", 1), Sample("cw-2", "c1", 2)];
        var encoded = new Dictionary<SimulatedEvent, byte[]> { [events[0]] = [1, 2, 3], [events[1]] = [], [events[2]] = [9] };
        IReadOnlySet<string>[] sources = [new HashSet<string> { "traffic" }, new HashSet<string> { "traffic", "cost" }];

        var input = BenchInput.Encode(events, e => encoded[e], sources);

        Assert.Equal(3, input.Count);
        Assert.Equal(["traffic", "cost", "traffic"], input.Topics);
        for (var i = 0; i < events.Length; i++)
        {
            var message = input.MessageAt(i);
            Assert.Equal(Encoding.UTF8.GetBytes(events[i].Key), message.Key);
            Assert.Equal(encoded[events[i]], message.Value);
            Assert.Equal(new Timestamp(events[i].Timestamp), message.Timestamp);
        }

        Assert.Equal([true, false, true], input.Reads[0]);
        Assert.Equal([true, true, true], input.Reads[1]);
        Assert.Equal(3 + 0 + 1 + (3 * 2), input.EncodedBytes);
    }

    [Fact]
    public void TryFindSample_FindsCloudWatchSamples_AReSentOneAtItsLastPosition_AndNothingElse()
    {
        SimulatedEvent[] events = [Sample("cw-1", "c1", 0), Figure("ce-1", "c2", 1), Sample("cw-2", "c1", 2), Sample("cw-1", "c1", 3)];

        var input = BenchInput.Encode(events, _ => [0], [new HashSet<string> { "traffic", "cost" }]);

        Assert.True(input.TryFindSample("cw-2", out var second));
        Assert.Equal(2, second);
        Assert.True(input.TryFindSample("cw-1", out var resent));
        Assert.Equal(3, resent);
        Assert.False(input.TryFindSample("ce-1", out _));
        Assert.False(input.TryFindSample("cw-3", out _));
    }

    private static SimulatedEvent Sample(string eventId, string customer, int minute) => Cdn("traffic", eventId, customer, minute, CdnDataSource.CloudWatch);

    private static SimulatedEvent Figure(string eventId, string customer, int minute) => Cdn("cost", eventId, customer, minute, CdnDataSource.CostExplorer);

    private static SimulatedEvent Cdn(string topic, string eventId, string customer, int minute, CdnDataSource source)
    {
        var at = Start.AddMinutes(minute);
        return new SimulatedEvent(topic, customer, new CdnTraffic { eventId = eventId, source = "s", customerId = customer, distributionId = "d", dataSource = source }, at, at);
    }
}
