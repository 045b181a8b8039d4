using System.Net;
using System.Text;

namespace StreamBilling.Api.Tests;

/// <summary>Operators load and read the CDN registry; a customer reads its own distributions only, without the buckets.</summary>
public sealed class CdnRegistryEndpointTests
{
    private const string TwoCustomers = """
        {
          "distributions": [
            {"customerId": "CUST0001", "bucket": "sb-cdn-cust0001", "distributionId": "E1AAAAAAAAAAAA", "domainName": "d1aaaa.cloudfront.net"},
            {"customerId": "CUST0002", "bucket": "sb-cdn-cust0002", "distributionId": "E2BBBBBBBBBBBB", "domainName": "d2bbbb.cloudfront.net"},
            {"customerId": "CUST0002", "bucket": "sb-cdn-cust0002-live", "distributionId": "E2CCCCCCCCCCCC", "domainName": "d2cccc.cloudfront.net"}
          ]
        }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OperatorLoad_WritesEveryRow_AndTheRegistryListsThem()
    {
        await using var api = await ApiServer.StartAsync();

        var (load, loaded) = await api.PostAsync("/v1/cdn/registry", Json(TwoCustomers));
        var (list, registry) = await api.GetAsync("/v1/cdn/registry");

        Assert.Equal((HttpStatusCode.OK, 3, 2), (load.StatusCode, loaded.GetProperty("loaded").GetInt32(), loaded.GetProperty("customers").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(
            [("CUST0001", "sb-cdn-cust0001", "E1AAAAAAAAAAAA"), ("CUST0002", "sb-cdn-cust0002", "E2BBBBBBBBBBBB"), ("CUST0002", "sb-cdn-cust0002-live", "E2CCCCCCCCCCCC")],
            registry.GetProperty("distributions").EnumerateArray().Select(r => r.GetProperty("distribution")).Select(d =>
                (d.GetProperty("customerId").GetString(), d.GetProperty("bucket").GetString(), d.GetProperty("distributionId").GetString())));
        Assert.Equal(ApiServer.Now, (await api.Store.FindDistributionAsync("E2CCCCCCCCCCCC", Ct))!.AddedAt);
    }

    [Fact]
    public async Task OperatorLoad_WithABadRow_Is400NamingItsLine_AndWritesNothing()
    {
        await using var api = await ApiServer.StartAsync();
        var bad = TwoCustomers.Replace("\"domainName\": \"d2cccc.cloudfront.net\"", "\"domainName\": \"\"", StringComparison.Ordinal);

        var (response, body) = await api.PostAsync("/v1/cdn/registry", Json(bad));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("request body:5: domainName is missing.", Assert.Single(body.GetProperty("errors").GetProperty("distributions").EnumerateArray()).GetString());
        Assert.Empty(await api.Store.ListDistributionsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Customer_ReadsItsOwnDistributions_WithoutBuckets()
    {
        await using var api = await ApiServer.StartAsync();
        await api.PostAsync("/v1/cdn/registry", Json(TwoCustomers));
        using var customer = api.CustomerClient("CUST0002");

        using var response = await customer.GetAsync(new Uri("/v1/customers/CUST0002/cdn/distributions", UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"customerId":"CUST0002","distributions":[{"distributionId":"E2BBBBBBBBBBBB","domainName":"d2bbbb.cloudfront.net"},{"distributionId":"E2CCCCCCCCCCCC","domainName":"d2cccc.cloudfront.net"}]}""",
            text);
    }

    [Fact]
    public async Task Customer_AskingForAnotherCustomersDistributions_Gets404_WithNothingOfThem()
    {
        await using var api = await ApiServer.StartAsync();
        await api.PostAsync("/v1/cdn/registry", Json(TwoCustomers));
        using var customer = api.CustomerClient("CUST0001");

        using var response = await customer.GetAsync(new Uri("/v1/customers/CUST0002/cdn/distributions", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("E2BBBBBBBBBBBB", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
