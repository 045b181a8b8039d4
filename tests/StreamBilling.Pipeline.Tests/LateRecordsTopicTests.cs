using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// An application's late-records topic takes records of several types: each Avro type registers under its own subject
/// (<c>&lt;topic&gt;-&lt;record full name&gt;</c>), so the second type is not refused as incompatible with the first.
/// </summary>
public sealed class LateRecordsTopicTests
{
    [Fact]
    public async Task TwoKindsOfLateRecord_ThroughOneApplication_BothLandWithTheirOwnSchemas()
    {
        using var billing = new BillingDriver();
        var lateTopic = $"{new PricingOptions { RateCard = BillingDriver.Card }.ApplicationId}-late-records";
        var figures = billing.Pricing.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, billing.Serdes.For<CdnTraffic>());
        var unpriceable = BillingDriver.Slice("s1", "i-1", "2024-08-01T10:00:00", "2024-08-01T10:00:00", "2024-08-01T10:30:00", type: "m9.huge");
        var wrongSource = CdnEvents.CloudWatch("cw-1", "CUST001", T.At("2024-08-01T10:05:00Z"), 50);
        var lateRecords = billing.Pricing.CreateOutputTopic(lateTopic, Streams.Serdes.Utf8, Streams.Serdes.Bytes);

        Assert.Empty(billing.Price(unpriceable));
        figures.PipeInput(wrongSource.customerId, wrongSource, T.At("2024-08-01T10:05:00Z"));

        var late = lateRecords.ReadRecordsToList();
        Assert.Equal(2, late.Count);
        Assert.Equal("i-1", billing.Serdes.For<UsageSegment>().Deserialize(late[0].Value, new Streams.SerdeContext(lateTopic, false)).instanceId);
        Assert.Equal("cw-1", billing.Serdes.For<CdnTraffic>().Deserialize(late[1].Value, new Streams.SerdeContext(lateTopic, false)).eventId);
        Assert.Equal(
            [$"{lateTopic}-{typeof(CdnTraffic).FullName}", $"{lateTopic}-{typeof(UsageSegment).FullName}"],
            (await billing.Registry.GetAllSubjectsAsync()).Where(s => s.StartsWith(lateTopic, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
