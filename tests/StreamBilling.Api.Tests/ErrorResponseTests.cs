using System.Net;
using System.Text;
using System.Text.Json;

namespace StreamBilling.Api.Tests;

/// <summary>Every error response is RFC 9457 problem details (<c>application/problem+json</c>) and tells nothing about the internals.</summary>
public sealed class ErrorResponseTests
{
    [Fact]
    public async Task MalformedJsonBody_Is400Problem()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.SendAsync(HttpMethod.Post, "/v1/customers/CUST0007/cdn/enable", new StringContent("{\"reason\": ", Encoding.UTF8, "application/json"));

        AssertProblem(HttpStatusCode.BadRequest, response, body);
    }

    [Fact]
    public async Task WrongMethod_Is405Problem()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.SendAsync(HttpMethod.Delete, "/v1/customers/CUST0007/cdn");

        AssertProblem(HttpStatusCode.MethodNotAllowed, response, body);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.SendAsync(HttpMethod.Get, "/v2/nothing-here");

        AssertProblem(HttpStatusCode.NotFound, response, body);
    }

    [Fact]
    public async Task UnhandledException_Is500Problem_WithoutTheException()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.DisposeAsync();

        var (response, body) = await api.SendAsync(HttpMethod.Get, "/v1/customers/CUST0007/cdn");

        AssertProblem(HttpStatusCode.InternalServerError, response, body);
    }

    [Fact]
    public async Task NulInPath_OnKestrel_Is400FromKestrelItself_WithAnEmptyBody()
    {
        // Kestrel decodes the path while parsing the request line and rejects the NUL before any middleware runs; its
        // own error responses cannot be given a body (documented on ProblemResponses). Pinned so a change shows.
        await using var api = await ApiServer.StartAsync(kestrel: true);

        var (response, body) = await api.SendAsync(HttpMethod.Get, "/v1/customers/CUST%000007/cdn");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(string.Empty, body);
    }

    [Fact]
    public async Task BodyOverTheLimit_OnKestrel_Is413Problem()
    {
        await using var api = await ApiServer.StartAsync(kestrel: true);
        await api.DisableAsync("CUST0007");
        var reason = new string('x', (int)ProblemResponses.MaxRequestBodySize);

        var (response, body) = await api.SendAsync(HttpMethod.Post, "/v1/customers/CUST0007/cdn/enable", new StringContent($"{{\"reason\": \"{reason}\"}}", Encoding.UTF8, "application/json"));

        AssertProblem(HttpStatusCode.RequestEntityTooLarge, response, body);
    }

    [Fact]
    public async Task UrlOverTheLimit_OnKestrel_Is414Problem()
    {
        await using var api = await ApiServer.StartAsync(kestrel: true);

        // Longer than Kestrel's default request-line limit (8 KiB), which would answer 414 itself with an empty body.
        var (response, body) = await api.SendAsync(HttpMethod.Get, "/v1/customers/" + new string('C', 10_000) + "/cdn");

        AssertProblem(HttpStatusCode.RequestUriTooLong, response, body);
    }

    private static void AssertProblem(HttpStatusCode status, HttpResponseMessage response, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));

        // No stack trace, exception type or code names.
        Assert.DoesNotContain("Exception", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("StreamBilling", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }
}
