using Avro;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Contracts.Tests;

public class AvroRecordTextTests
{
    [Fact]
    public void GeneratedToString_ShowsTheFieldValues_NotTheSchema()
    {
        var traffic = new CdnTraffic
        {
            eventId = "e-1",
            source = "cloudwatch",
            customerId = "CUST1",
            distributionId = "D1",
            dataSource = CdnDataSource.CostExplorer,
            periodStart = new DateTime(2024, 8, 1, 10, 0, 0, DateTimeKind.Utc),
            periodEnd = new DateTime(2024, 8, 1, 10, 1, 0, DateTimeKind.Utc),
            bytes = 42,
        };

        Assert.Equal(
            "CdnTraffic { eventId = \"e-1\", source = \"cloudwatch\", customerId = \"CUST1\", distributionId = \"D1\", dataSource = CostExplorer, "
            + "periodStart = 2024-08-01T10:00:00.0000000Z, periodEnd = 2024-08-01T10:01:00.0000000Z, bytes = 42 }",
            traffic.ToString());
    }

    [Fact]
    public void GeneratedToString_WritesListsDecimalsAndNulls()
    {
        var decision = new CdnCapDecision { eventId = "d", sourceEventIds = [.. Enumerable.Range(0, 12).Select(i => $"s{i}")] };
        var line = new InvoiceLine { amount = new AvroDecimal(new System.Numerics.BigInteger(-1_234_500), 6), correctsMonth = null };

        Assert.Contains("sourceEventIds = [\"s0\", \"s1\", \"s2\", \"s3\", \"s4\", \"s5\", \"s6\", \"s7\", \"s8\", \"s9\", …]", decision.ToString(), StringComparison.Ordinal);
        Assert.Contains("amount = -1.234500", line.ToString(), StringComparison.Ordinal);
        Assert.Contains("correctsMonth = null", line.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\"", line.ToString(), StringComparison.Ordinal);
    }
}
