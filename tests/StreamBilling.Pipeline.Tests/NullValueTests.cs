using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>A record without a value on an input of any billing application is dead-lettered, not handed to a processor that would fail on it.</summary>
public sealed class NullValueTests
{
    [Theory]
    [InlineData(nameof(PipelineTopologies.BuildInstanceSessions), Topics.InstanceLaunched)]
    [InlineData(nameof(PipelineTopologies.BuildInstanceSessions), Topics.InstanceTerminated)]
    [InlineData(nameof(PipelineTopologies.BuildCdnCaps), Topics.CdnTraffic)]
    [InlineData(nameof(PipelineTopologies.BuildCdnUsageMessages), Topics.CdnCostExplorer)]
    [InlineData(nameof(PricingTopology), Topics.S3BucketUsage)]
    [InlineData(nameof(PricingTopology), Topics.CdnCostExplorer)]
    [InlineData(nameof(PricingTopology), Topics.UsageSegments)]
    [InlineData(nameof(PipelineTopologies.BuildHourlyRollups), Topics.UsageSegments)]
    [InlineData(nameof(InvoiceTopology), Topics.PricedLines)]
    public void NullValue_IsDeadLettered(string application, string topic)
    {
        var serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        var topology = application switch
        {
            nameof(PipelineTopologies.BuildInstanceSessions) => PipelineTopologies.BuildInstanceSessions(serdes),
            nameof(PipelineTopologies.BuildCdnCaps) => PipelineTopologies.BuildCdnCaps(serdes, TestCdnRegistry.Snapshot()),
            nameof(PipelineTopologies.BuildCdnUsageMessages) => PipelineTopologies.BuildCdnUsageMessages(serdes),
            nameof(PipelineTopologies.BuildHourlyRollups) => PipelineTopologies.BuildHourlyRollups(serdes),
            nameof(InvoiceTopology) => InvoiceTopology.Build(serdes, new InvoiceOptions { RateCard = BillingDriver.Card }),
            _ => PricingTopology.Build(serdes, new PricingOptions { RateCard = BillingDriver.Card }),
        };
        using var driver = new TopologyTestDriver(topology);

        driver.CreateInputTopic(topic, Serdes.Bytes, Serdes.Bytes).PipeInput("k"u8.ToArray(), null!, T.At("2024-08-01T00:00:00Z"));

        var dead = Assert.Single(driver.DeadLetters);
        Assert.Equal(topic, dead.Record.Topic);
        Assert.EndsWith("needs a value; this one has none (null).", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.MinValue, driver.StreamTime(topology.SubTopologyOf(topic)));
    }
}
