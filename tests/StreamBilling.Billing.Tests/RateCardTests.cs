using StreamBilling.Billing.RateCards;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class RateCardTests
{
    private const string TwoVersions = """
        {
          "currency": "USD",
          "versions": [
            { "version": "v2", "effectiveFrom": "2024-08-01T12:00:00Z",
              "ec2": [ { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0200 } ] },
            { "version": "v1", "effectiveFrom": "2024-01-01T00:00:00Z",
              "ec2": [
                { "region": "us-east-1", "instanceType": "t3.micro", "onDemandPerHour": 0.0104, "reservedPerHour": 0.0065 },
                { "region": "us-east-1", "instanceType": "t3.micro", "os": "Windows", "onDemandPerHour": 0.0196 },
                { "instanceType": "t3.micro", "onDemandPerHour": 0.0110 },
                { "instanceType": "t3.micro", "os": "RedHat", "onDemandPerHour": 0.0700 }
              ],
              "freeTierEligible": [ { "region": "us-east-1", "instanceType": "t3.micro" }, { "instanceType": "t2.micro" } ] }
          ],
          "spotPrices": [
            { "region": "us-east-1", "instanceType": "m5.large", "from": "2024-01-01T00:00:00Z", "perHour": 0.030 },
            { "region": "us-east-1", "instanceType": "m5.large", "from": "2024-08-01T06:00:00Z", "perHour": 0.041 },
            { "region": "us-east-1", "instanceType": "m5.large", "os": "Windows", "from": "2024-01-01T00:00:00Z", "perHour": 0.070 }
          ]
        }
        """;

    [Fact]
    public void Load_RepositoryRateCard_TwoVersionsCoveringTheSimulatedRegions()
    {
        var card = RateCard.Load(RepoFile("infra/rate-card.json"));

        Assert.Equal(["2019-01", "2024-08"], card.Versions.Select(v => v.Version));
        Assert.True(card.VersionAt(T("2024-08-01T00:00:00")).TryGetInstanceRate("me-south-1", "c5.xlarge", InstanceOs.Suse, out _));
        Assert.True(card.TryGetSpotPrice("ap-south-1", "t3.small", InstanceOs.Windows, T("2024-08-01T13:00:00"), out _));
    }

    [Fact]
    public void VersionAt_Instants_VersionInForce()
    {
        var card = RateCard.Parse(TwoVersions);

        Assert.Equal("v1", card.VersionAt(T("2024-08-01T11:59:59")).Version);
        Assert.Equal("v2", card.VersionAt(T("2024-08-01T12:00:00")).Version);
        Assert.Throws<RateCardException>(() => card.VersionAt(T("2023-12-31T23:59:59")));
    }

    [Theory]
    [InlineData("us-east-1", InstanceOs.Linux, "0.0104")] // region row without OS
    [InlineData("us-east-1", InstanceOs.Windows, "0.0196")] // region and OS row
    [InlineData("eu-west-1", InstanceOs.Linux, "0.0110")] // all-region row
    [InlineData("eu-west-1", InstanceOs.RedHat, "0.0700")] // all-region OS row
    [InlineData("us-east-1", InstanceOs.RedHat, "0.0104")] // the region's row wins over the all-region OS row
    public void TryGetInstanceRate_Fallbacks_MostSpecificRowWins(string region, InstanceOs os, string expected)
    {
        var version = RateCard.Parse(TwoVersions).VersionAt(T("2024-03-01T00:00:00"));

        Assert.True(version.TryGetInstanceRate(region, "t3.micro", os, out var rate));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), rate.OnDemandPerHour);
    }

    [Fact]
    public void IsFreeTierEligible_RegionRowThenAllRegionRow()
    {
        var version = RateCard.Parse(TwoVersions).VersionAt(T("2024-03-01T00:00:00"));

        Assert.True(version.IsFreeTierEligible("us-east-1", "t3.micro"));
        Assert.False(version.IsFreeTierEligible("us-east-1", "t2.micro"));
        Assert.True(version.IsFreeTierEligible("eu-west-1", "t2.micro"));
        Assert.False(RateCard.Parse(TwoVersions).VersionAt(T("2024-09-01T00:00:00")).HasFreeTier);
    }

    [Fact]
    public void TryGetSpotPrice_PriceInForceAndOsSeriesBeforeAllOsSeries()
    {
        var card = RateCard.Parse(TwoVersions);

        Assert.True(card.TryGetSpotPrice("us-east-1", "m5.large", InstanceOs.Linux, T("2024-08-01T05:59:59"), out var before));
        Assert.True(card.TryGetSpotPrice("us-east-1", "m5.large", InstanceOs.Suse, T("2024-08-01T06:00:00"), out var after));
        Assert.True(card.TryGetSpotPrice("us-east-1", "m5.large", InstanceOs.Windows, T("2024-08-01T06:00:00"), out var windows));
        Assert.Equal((0.030m, 0.041m, 0.070m), (before, after, windows));
        Assert.False(card.TryGetSpotPrice("us-east-1", "m5.large", InstanceOs.Linux, T("2023-01-01T00:00:00"), out _));
    }

    [Fact]
    public void Parse_SeveralProblems_EveryOneReported()
    {
        const string Bad = """
            { "currency": "USD", "versions": [
              { "version": "v1", "effectiveFrom": "2024-01-01T00:00:00Z",
                "ec2": [ { "instanceType": "t3.micro", "onDemandPerHour": 0.01 }, { "instanceType": "t3.micro", "onDemandPerHour": 0.02 } ],
                "metered": [ { "service": "Cdn", "usageType": "DataTransfer-Out-Gb", "unit": "GB",
                               "tiers": [ { "upTo": 100, "perUnit": 0.08 }, { "upTo": 50, "perUnit": 0.07 }, { "perUnit": 0.05 } ] } ] },
              { "version": "v1", "effectiveFrom": "2024-02-01T00:00:00Z" } ] }
            """;

        var error = Assert.Throws<RateCardException>(() => RateCard.Parse(Bad, "bad.json"));

        Assert.StartsWith("bad.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("t3.micro any OS in '' is listed twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiers must rise", error.Message, StringComparison.Ordinal);
        Assert.Contains("duplicate name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownKey_Rejected()
    {
        var error = Assert.Throws<RateCardException>(() => RateCard.Parse("""{ "currency": "USD", "versions": [], "discounts": [] }"""));

        Assert.Contains("discounts", error.Message, StringComparison.Ordinal);
    }
}
