using System.Net;

namespace StreamBilling.Api.Tests;

public sealed class CdnStatusEndpointTests
{
    [Fact]
    public async Task Get_DisabledCustomer_ReturnsTheStoredStatus()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.GetAsync("/v1/customers/CUST0007/cdn");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ("CUST0007", "dist-CUST0007", "Disabled", "decision-1", "cap 100 GB/15m exceeded"),
            (body.GetProperty("customerId").GetString(), body.GetProperty("distributionId").GetString(), body.GetProperty("status").GetString(),
                body.GetProperty("causeId").GetString(), body.GetProperty("reason").GetString()));
        Assert.Equal("2024-08-01T10:00:00+00:00", body.GetProperty("changedAt").GetString());
        var distribution = Assert.Single(body.GetProperty("distributions").EnumerateArray());
        Assert.Equal(
            ("dist-CUST0007", "dist-cust0007.cloudfront.net", false),
            (distribution.GetProperty("distributionId").GetString(), distribution.GetProperty("domainName").GetString(), distribution.TryGetProperty("bucket", out _)));
    }

    [Fact]
    public async Task Get_UnknownCustomer_Returns404ProblemDetails()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.GetAsync("/v1/customers/CUST9999/cdn");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((404, "Unknown customer"), (body.GetProperty("status").GetInt32(), body.GetProperty("title").GetString()));
        Assert.Contains("CUST9999", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
