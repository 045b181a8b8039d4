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
            ["/v1/customers/{customerId}/cdn", "/v1/customers/{customerId}/cdn/enable", "/v1/customers/{customerId}/invoices", "/v1/customers/{customerId}/invoices/{month}", "/v1/usage/weekly-cost"],
            body.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
