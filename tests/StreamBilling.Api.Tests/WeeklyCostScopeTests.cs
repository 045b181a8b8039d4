using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

/// <summary>
/// <c>GET /v1/usage/weekly-cost</c> answers for the caller's account: a customer reads its own rows only, an operator
/// every account summed or the one it names. Figures are worked out by hand from <see cref="SeedAsync"/>.
/// </summary>
public sealed class WeeklyCostScopeTests
{
    private const string July = "/v1/usage/weekly-cost?service=ec2&from=2024-07-01&to=2024-08-01";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_SeesOnlyItsOwnRows()
    {
        await using var api = await StartAsync();
        using var customer = api.CustomerClient("CUST001");

        var body = await GetOkAsync(customer, July);

        // CUST001: us-east-1#Admin 60 + 30 min in W27 (0.50 + 0.25), eu-west-1#Dev 15 min in W31; CUST002's 45 min and 7.777777 never.
        Assert.Equal("CUST001", body.GetProperty("customerId").GetString());
        Assert.Equal(
            [("eu-west-1", "Dev", "2024-W31", 15m, 0.125m, 1L), ("us-east-1", "Admin", "2024-W27", 90m, 0.75m, 2L)],
            Rows(body));
        Assert.DoesNotContain("7.777777", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_NamingItsOwnAccount_GetsTheSameRows()
    {
        await using var api = await StartAsync();
        using var customer = api.CustomerClient("CUST002");

        var body = await GetOkAsync(customer, July + "&customerId=CUST002");

        Assert.Equal([("us-east-1", "Admin", "2024-W27", 45m, 7.777777m, 1L)], Rows(body));
    }

    [Fact]
    public async Task Customer_NamingAnotherAccount_Gets404_WithNothingOfIt()
    {
        await using var api = await StartAsync();
        using var customer = api.CustomerClient("CUST001");

        using var response = await customer.GetAsync(new Uri(July + "&customerId=CUST002", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("7.777777", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CUST002", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_WithoutAnAccount_SeesTheSumOfEveryAccount()
    {
        await using var api = await StartAsync();

        var body = await GetOkAsync(api.Client, July);

        // us-east-1#Admin W27: CUST001 90 min / 0.75 + CUST002 45 min / 7.777777, three hourly rows.
        Assert.Equal(JsonValueKind.Null, body.GetProperty("customerId").ValueKind);
        Assert.Equal(
            [("eu-west-1", "Dev", "2024-W31", 15m, 0.125m, 1L), ("us-east-1", "Admin", "2024-W27", 135m, 8.527777m, 3L)],
            Rows(body));
    }

    [Fact]
    public async Task Operator_NamingAnAccount_SeesThatAccountOnly()
    {
        await using var api = await StartAsync();

        var body = await GetOkAsync(api.Client, July + "&customerId=CUST002&partitionKey=us-east-1%23Admin");

        Assert.Equal(("CUST002", "us-east-1#Admin"), (body.GetProperty("customerId").GetString(), body.GetProperty("partitionKey").GetString()));
        Assert.Equal([("us-east-1", "Admin", "2024-W27", 45m, 7.777777m, 1L)], Rows(body));
    }

    [Fact]
    public async Task Operator_NamingAnInvalidAccount_Is400NamingCustomerId()
    {
        await using var api = await StartAsync();

        var (response, body) = await api.GetAsync(July + "&customerId=" + new string('x', 200));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["customerId"], body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheAccountParameterAndResponses()
    {
        await using var api = await ApiServer.StartAsync();

        var (_, document) = await api.GetAsync("/openapi/v1.json");

        var operation = document.GetProperty("paths").GetProperty("/v1/usage/weekly-cost").GetProperty("get");
        Assert.Contains("customerId", operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(["200", "400", "404"], operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("WeeklyCostResponse").GetProperty("properties").TryGetProperty("customerId", out _));
    }

    private static async Task<ApiServer> StartAsync()
    {
        var api = await ApiServer.StartAsync();
        await SeedAsync(api.Store);
        return api;
    }

    private static async Task SeedAsync(IRollupStore store)
    {
        static RollupRow Row(string customer, string region, string role, string hour, decimal minutes, decimal cost) =>
            new(customer, region, role, "Ec2", DateTimeOffset.Parse(hour, CultureInfo.InvariantCulture), minutes, "Minutes", cost, "USD", 1, $"{customer}-{region}-{role}-{hour}");

        await store.UpsertAsync(
            [
                Row("CUST001", "us-east-1", "Admin", "2024-07-01T10:00:00Z", 60m, 0.5m),
                Row("CUST001", "us-east-1", "Admin", "2024-07-01T11:00:00Z", 30m, 0.25m),
                Row("CUST001", "eu-west-1", "Dev", "2024-07-30T08:00:00Z", 15m, 0.125m),
                Row("CUST002", "us-east-1", "Admin", "2024-07-01T10:00:00Z", 45m, 7.777777m), // same region#role and hour as CUST001
            ],
            Ct);
    }

    private static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<(string, string, string, decimal, decimal, long)> Rows(JsonElement body) => WeeklyCostEndpointTests.Rows(body);
}
