using System.Net;

namespace StreamBilling.Api.Tests;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheV1Endpoints()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ["/v1/caller", "/v1/cdn/registry", "/v1/customers", "/v1/customers/{customerId}/cdn", "/v1/customers/{customerId}/cdn/distributions", "/v1/customers/{customerId}/cdn/enable", "/v1/customers/{customerId}/invoices", "/v1/customers/{customerId}/invoices/{month}", "/v1/usage", "/v1/usage/weekly-cost"],
            body.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OpenApiDocument_RequiresTheApiKeyBearerScheme()
    {
        await using var api = await ApiServer.StartAsync();

        var (_, body) = await api.GetAsync("/openapi/v1.json");

        var scheme = body.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(Assert.Single(body.GetProperty("security").EnumerateArray()).TryGetProperty("apiKey", out _));
    }
}
