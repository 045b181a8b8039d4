using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Outputs;
using StreamBilling.Events.S3;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Streams;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Pricing on S3 bucket usage with the shipped rate card: storage, requests and data transfer are all priced.</summary>
public sealed class S3PricingTests
{
    private static readonly RateCard Card = RateCard.Load(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json"));

    [Fact]
    public void BucketUsage_ReadAndWrittenGb_ArePricedLines_ReadAtTheTransferOutRate()
    {
        var serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
        using var driver = new TopologyTestDriver(PricingTopology.Build(serdes, new PricingOptions { RateCard = Card }));
        var input = driver.CreateInputTopic(Topics.S3BucketUsage, Serdes.Utf8, serdes.For<BucketUsage>());
        var priced = driver.CreateOutputTopic(Topics.PricedLines, Serdes.Utf8, serdes.For<PricedLineItem>());
        var usage = new BucketUsage
        {
            eventId = "s3-1",
            source = "test",
            accountId = "CUST001",
            bucket = "cust001-data-0",
            region = "us-east-1",
            periodStart = T.Utc("2024-07-10T00:00:00"),
            periodEnd = T.Utc("2024-07-10T01:00:00"),
            storedGbHours = AvroDecimals.Quantity(0m),
            readGb = AvroDecimals.Quantity(12.5m),
            writtenGb = AvroDecimals.Quantity(3.25m),
            getRequests = 0,
            putRequests = 0,
        };

        input.PipeInput(usage.accountId, usage, new DateTimeOffset(usage.periodStart, TimeSpan.Zero));
        var lines = priced.ReadRecordsToList().Select(r => r.Value).ToDictionary(l => l.usageType, StringComparer.Ordinal);

        // Before this rule, reads and writes produced no line at all: 12.5 GB out at $0.09 was never billed.
        Assert.Equal(["DataTransfer-In-Gb", "DataTransfer-Out-Gb"], lines.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((12.5m, 1.125m), (BillingDriver.Money(lines["DataTransfer-Out-Gb"].quantity), BillingDriver.Money(lines["DataTransfer-Out-Gb"].amount)));
        Assert.Equal((3.25m, 0m), (BillingDriver.Money(lines["DataTransfer-In-Gb"].quantity), BillingDriver.Money(lines["DataTransfer-In-Gb"].amount)));
        Assert.All(lines.Values, l => Assert.Equal("2024-07", l.billingMonth));
    }

    [Fact]
    public void RateCard_WithATieredS3Rate_IsRefusedWhenItLoads_NotPricedAtItsFirstTier()
    {
        var error = Assert.Throws<RateCardException>(() => RateCard.Parse("""
            {
              "currency": "USD",
              "versions": [
                { "version": "v1", "effectiveFrom": "2021-01-01T00:00:00Z",
                  "ec2": [ { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0104 } ],
                  "metered": [
                    { "service": "Cdn", "usageType": "DataTransfer-Out-Gb", "unit": "GB",
                      "tiers": [ { "upTo": 10, "perUnit": 0.085 }, { "perUnit": 0.060 } ] },
                    { "service": "S3", "usageType": "DataTransfer-Out-Gb", "unit": "GB",
                      "tiers": [ { "upTo": 10240, "perUnit": 0.09 }, { "perUnit": 0.085 } ] } ] }
              ]
            }
            """));

        Assert.Contains("version 'v1': S3 DataTransfer-Out-Gb in '': S3 DataTransfer-Out-Gb is tiered, but its pricer keeps no month-to-date quantity", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cdn DataTransfer-Out-Gb is tiered", error.Message, StringComparison.Ordinal);
    }
}
