using System.Net;
using System.Text.Json;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

public sealed class WeeklyCostEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WeeklyCost_UpsertedRollups_OneRowPerRegionRoleAndWeekInsideThePeriod()
    {
        await using var api = await ApiServer.StartAsync();
        await SeedAsync(api.Store);

        var (response, body) = await api.GetAsync("/v1/usage/weekly-cost?service=ec2&from=2024-07-01&to=2024-08-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("Ec2", "2024-07-01T00:00:00+00:00", "2024-08-01T00:00:00+00:00"), (body.GetProperty("service").GetString(), body.GetProperty("from").GetString(), body.GetProperty("until").GetString()));
        Assert.Equal(
            [
                ("eu-west-1", "WebServer", "2024-W31", 60m, 0.25m, 1L),
                ("us-east-1", "Admin", "2024-W27", 90m, 0.75m, 2L),
                ("us-east-1", "Admin", "2024-W31", 30m, 0.125m, 1L),
            ],
            Rows(body));
    }

    [Fact]
    public async Task WeeklyCost_PartitionKey_OnlyThatRegionAndRole()
    {
        await using var api = await ApiServer.StartAsync();
        await SeedAsync(api.Store);

        var (response, body) = await api.GetAsync("/v1/usage/weekly-cost?service=Ec2&from=2024-07-01&to=2024-08-01&partitionKey=eu-west-1%23WebServer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eu-west-1#WebServer", body.GetProperty("partitionKey").GetString());
        Assert.Equal([("eu-west-1", "WebServer", "2024-W31", 60m, 0.25m, 1L)], Rows(body));
    }

    [Fact]
    public async Task WeeklyCost_NoRollups_EmptyRows()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/usage/weekly-cost?service=ec2&from=2024-07-01&to=2024-08-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Rows(body));
    }

    [Theory]
    [InlineData("from=2024-07-01&to=2024-08-01", "service")]
    [InlineData("service=lambda&from=2024-07-01&to=2024-08-01", "service")]
    [InlineData("service=1&from=2024-07-01&to=2024-08-01", "service")]
    [InlineData("service=ec2&to=2024-08-01", "from")]
    [InlineData("service=ec2&from=2024-07-01", "to")]
    [InlineData("service=ec2&from=2024-13-01&to=2024-08-01", "from")]
    [InlineData("service=ec2&from=01/07/2024&to=2024-08-01", "from")]
    [InlineData("service=ec2&from=2024-07-01&to=2024-07-01", "to")]
    [InlineData("service=ec2&from=2024-08-01&to=2024-07-01", "to")]
    [InlineData("service=ec2&from=2024-07-01&to=2024-08-01&partitionKey=us-east-1", "partitionKey")]
    [InlineData("service=ec2&from=2024-07-01&to=2024-08-01&partitionKey=us-east-1%23", "partitionKey")]
    [InlineData("service=ec2&from=2024-07-01&to=2024-08-01&partitionKey=a%23b%23c", "partitionKey")]
    public async Task WeeklyCost_BadParameter_Returns400ProblemDetailsNamingIt(string query, string parameter)
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/usage/weekly-cost?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = body.GetProperty("errors");
        Assert.Equal([parameter], errors.EnumerateObject().Select(p => p.Name));
    }

    private static async Task SeedAsync(IRollupStore store)
    {
        static RollupRow Row(string region, string role, string service, string hour, decimal minutes, decimal cost) =>
            new("CUST001", region, role, service, DateTimeOffset.Parse(hour, System.Globalization.CultureInfo.InvariantCulture), minutes, "instance-minutes", cost, "USD", 1, $"{region}-{role}-{service}-{hour}");

        await store.UpsertAsync(
            [
                Row("us-east-1", "Admin", "Ec2", "2024-07-01T00:00:00Z", 60m, 0.5m),
                Row("us-east-1", "Admin", "Ec2", "2024-07-01T01:00:00Z", 30m, 0.25m),
                Row("us-east-1", "Admin", "Ec2", "2024-07-31T23:00:00Z", 30m, 0.125m),
                Row("us-east-1", "Admin", "Ec2", "2024-08-01T00:00:00Z", 60m, 9m), // after the period
                Row("us-east-1", "Admin", "Ec2", "2024-06-30T23:00:00Z", 60m, 9m), // before the period (same ISO week 2024-W26)
                Row("us-east-1", "Admin", "S3", "2024-07-02T00:00:00Z", 5m, 9m),   // another service
                Row("eu-west-1", "WebServer", "Ec2", "2024-07-29T10:00:00Z", 60m, 0.25m),
            ],
            Ct);
    }

    /// <summary>The response rows as (region, role, week, usage, cost, hours).</summary>
    internal static List<(string, string, string, decimal, decimal, long)> Rows(JsonElement body) =>
        [.. body.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("region").GetString()!,
            r.GetProperty("role").GetString()!,
            r.GetProperty("isoWeek").GetString()!,
            r.GetProperty("usageQuantity").GetDecimal(),
            r.GetProperty("cost").GetDecimal(),
            r.GetProperty("hours").GetInt64()))];
}
