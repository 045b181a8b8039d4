using StreamBilling.Events.Common;
using StreamBilling.Pipeline.Rollups;
using StreamBilling.Streams;

namespace StreamBilling.Pipeline.Tests;

public class RollupContributionSerdeTests
{
    private static readonly RollupContribution[] Contributions =
    [
        new("acct-1", "seg-1", false, "us-east-1", "Admin", ServiceKind.Ec2, T.At("2024-08-01T10:00:00Z"), 1800m, 0m, null),
        new("", "line-é", true, "", "unknown", ServiceKind.Cdn, T.At("2024-08-01T11:00:00Z"), 0m, -0.0000001m, "USD"),
        new("CUST-ü", "big", true, "eu-west-1", "Dev", ServiceKind.S3, DateTimeOffset.UnixEpoch, decimal.MaxValue, decimal.MinValue, string.Empty),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RoundTrip_GivesAnEqualContribution(int index)
    {
        var serde = RollupContributionSerde.Instance;
        var contribution = Contributions[index];

        Assert.Equal(contribution, serde.Deserialize(serde.Serialize(contribution, default), default));
    }

    [Fact]
    public void OtherBytes_AreRejectedWithAClearError()
    {
        var error = Assert.Throws<FormatException>(() => RollupContributionSerde.Instance.Deserialize("{\"sourceId\":\"x\"}"u8.ToArray(), new SerdeContext("t", false)));
        Assert.Contains("rollup contribution", error.Message, StringComparison.Ordinal);
    }
}
