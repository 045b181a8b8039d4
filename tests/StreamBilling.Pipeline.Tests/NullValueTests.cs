using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>A record without a value on an input of any billing application is dead-lettered, not handed to a processor that would fail on it.</summary>
public sealed class NullValueTests
{
    [Theory]
    [InlineData(PipelineApplications.InstanceSessions, Topics.InstanceLaunched)]
    [InlineData(PipelineApplications.InstanceSessions, Topics.InstanceTerminated)]
    [InlineData(PipelineApplications.CdnCaps, Topics.CdnTraffic)]
    [InlineData(PipelineApplications.CdnUsageMessages, Topics.CdnCostExplorer)]
    [InlineData(PipelineApplications.Pricing, Topics.S3BucketUsage)]
    [InlineData(PipelineApplications.Pricing, Topics.CdnCostExplorer)]
    [InlineData(PipelineApplications.Pricing, Topics.UsageSegments)]
    [InlineData(PipelineApplications.HourlyRollups, Topics.UsageSegments)]
    [InlineData(PipelineApplications.Invoices, Topics.PricedLines)]
    public void NullValue_IsDeadLettered(string application, string topic)
    {
        var serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        var topology = application switch
        {
            PipelineApplications.InstanceSessions => PipelineTopologies.BuildInstanceSessions(serdes),
            PipelineApplications.CdnCaps => PipelineTopologies.BuildCdnCaps(serdes, TestCdnRegistry.Snapshot()),
            PipelineApplications.CdnUsageMessages => PipelineTopologies.BuildCdnUsageMessages(serdes),
            PipelineApplications.HourlyRollups => PipelineTopologies.BuildHourlyRollups(serdes),
            PipelineApplications.Invoices => InvoiceTopology.Build(serdes, new InvoiceOptions { RateCard = BillingDriver.Card }),
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
