using System.Net;
using StreamBilling.Api.Access;
using StreamBilling.Billing;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api.Tests;

/// <summary>
/// Who may see what: every /v1 endpoint needs a caller; a customer sees only its own account (another account is 404,
/// with nothing of it in the answer), operator actions refuse customers, and the gateway header is trusted only behind
/// a gateway.
/// </summary>
public sealed class TenantIsolationTests
{
    private const string SecretAmount = "987.654321";

    private static readonly string[] CustomerPaths =
    [
        "/v1/customers/{0}/cdn",
        "/v1/customers/{0}/cdn/distributions",
        "/v1/customers/{0}/invoices",
        "/v1/customers/{0}/invoices/2024-07",
        "/v1/usage/weekly-cost?service=ec2&from=2024-07-01&to=2024-08-01&customerId={0}",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_WithoutAKey_Is401ProblemWithABearerChallenge()
    {
        await using var api = await StartWithTwoCustomersAsync();
        using var anonymous = api.ClientWith();

        foreach (var (method, path) in AllEndpoints("CUST002"))
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(method, path), Ct);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.DoesNotContain(SecretAmount, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Customer_ReadsItsOwnAccount()
    {
        await using var api = await StartWithTwoCustomersAsync();
        using var customer = api.CustomerClient("CUST001");

        foreach (var path in CustomerPaths)
        {
            using var response = await customer.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "CUST001"), UriKind.Relative), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Customer_AskingForAnotherAccount_Gets404_WithNothingOfIt()
    {
        await using var api = await StartWithTwoCustomersAsync();
        using var customer = api.CustomerClient("CUST001");

        foreach (var (method, path) in AllEndpoints("CUST002").Where(e => e.Path.Contains("CUST002", StringComparison.Ordinal)))
        {
            using var response = await customer.SendAsync(new HttpRequestMessage(method, path), Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(SecretAmount, text, StringComparison.Ordinal);
            Assert.DoesNotContain("dist-CUST002", text, StringComparison.Ordinal);
            Assert.DoesNotContain(response.Headers, h => h.Value.Any(v => v.Contains("CUST002", StringComparison.Ordinal)));
        }

        // The re-enable was refused before it reached the store: still disabled, nothing published.
        Assert.Equal(DistributionStatus.Disabled, (await api.Store.GetAsync("CUST002", Ct))!.Status);
        Assert.Empty(api.Published.Changes);
    }

    [Fact]
    public async Task Customer_MayNeitherReadNorLoadTheCdnRegistry()
    {
        await using var api = await StartWithTwoCustomersAsync();
        using var customer = api.CustomerClient("CUST001");
        using var body = new StringContent("""{"distributions": [{"customerId": "CUST001", "bucket": "b", "distributionId": "E-STOLEN", "domainName": "d.example"}]}""", System.Text.Encoding.UTF8, "application/json");

        using var read = await customer.GetAsync(new Uri("/v1/cdn/registry", UriKind.Relative), Ct);
        using var load = await customer.PostAsync(new Uri("/v1/cdn/registry", UriKind.Relative), body, Ct);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (read.StatusCode, load.StatusCode));
        Assert.DoesNotContain("dist-CUST002", await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await api.Store.FindDistributionAsync("E-STOLEN", Ct));
    }

    [Fact]
    public async Task Customer_MayNotReEnableItsOwnCdn()
    {
        await using var api = await StartWithTwoCustomersAsync();
        using var customer = api.CustomerClient("CUST001");

        using var enable = await customer.PostAsync(new Uri("/v1/customers/CUST001/cdn/enable", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, enable.StatusCode);
        Assert.Equal("application/problem+json", enable.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DistributionStatus.Disabled, (await api.Store.GetAsync("CUST001", Ct))!.Status);
    }

    [Fact]
    public async Task Operator_ReadsEveryAccount_AndReEnables()
    {
        await using var api = await StartWithTwoCustomersAsync();

        var (invoice, body) = await api.GetAsync("/v1/customers/CUST002/invoices/2024-07");
        var (enable, _) = await api.PostAsync("/v1/customers/CUST002/cdn/enable");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (invoice.StatusCode, enable.StatusCode));
        Assert.Equal(987.654321m, body.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(DistributionStatus.Enabled, (await api.Store.GetAsync("CUST002", Ct))!.Status);
    }

    [Fact]
    public async Task ApiKeys_CustomerHeaderNamingAnotherAccount_Is403_AndTheHeaderAloneIsNoIdentity()
    {
        await using var api = await StartWithTwoCustomersAsync();
        var key = api.Keys.Create(ApiKeyRole.Customer, "CUST001", "test").Key;
        using var matching = api.ClientWith(("Authorization", "Bearer " + key), (ApiAccessOptions.CustomerHeader, "CUST001"));
        using var mismatched = api.ClientWith(("Authorization", "Bearer " + key), (ApiAccessOptions.CustomerHeader, "CUST002"));
        using var headerOnly = api.ClientWith((ApiAccessOptions.CustomerHeader, "CUST002"));

        using var ok = await matching.GetAsync(new Uri("/v1/customers/CUST001/invoices", UriKind.Relative), Ct);
        using var forbidden = await mismatched.GetAsync(new Uri("/v1/customers/CUST001/invoices", UriKind.Relative), Ct);

        // The measured case: a header claiming an account reads nothing without a key.
        using var anonymous = await headerOnly.GetAsync(new Uri("/v1/customers/CUST002/invoices/2024-07", UriKind.Relative), Ct);

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized),
            (ok.StatusCode, forbidden.StatusCode, anonymous.StatusCode));
    }

    [Fact]
    public async Task RevokedUnknownAndMalformedKeys_Are401()
    {
        await using var api = await StartWithTwoCustomersAsync();
        var issued = api.Keys.Create(ApiKeyRole.Customer, "CUST001", "to revoke");
        Assert.True(api.Keys.Revoke(issued.Record.Id));
        var tampered = issued.Key[..^2] + (issued.Key[^2..] == "AA" ? "BB" : "AA");

        foreach (var key in new[] { issued.Key, tampered, "sbk_", "sbk_nope_nope", new string('x', 10_000), "Bearer" })
        {
            using var client = api.ClientWith(("X-Api-Key", key));
            using var response = await client.GetAsync(new Uri("/v1/customers/CUST001/invoices", UriKind.Relative), Ct);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key[..Math.Min(20, key.Length)]}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Gateway_TheHeaderIsTheCaller_CustomerKeysAreRefused_OperatorKeysStillWork()
    {
        await using var api = await StartWithTwoCustomersAsync(ApiAccessMode.Gateway);
        using var gateway = api.ClientWith((ApiAccessOptions.CustomerHeader, "CUST001"));
        using var customerKey = api.CustomerClient("CUST001");

        using var own = await gateway.GetAsync(new Uri("/v1/customers/CUST001/invoices/2024-07", UriKind.Relative), Ct);
        using var other = await gateway.GetAsync(new Uri("/v1/customers/CUST002/invoices/2024-07", UriKind.Relative), Ct);
        using var enable = await gateway.PostAsync(new Uri("/v1/customers/CUST002/cdn/enable", UriKind.Relative), null, Ct);
        using var key = await customerKey.GetAsync(new Uri("/v1/customers/CUST001/invoices", UriKind.Relative), Ct);
        var (operatorRead, _) = await api.GetAsync("/v1/customers/CUST002/invoices");

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.OK),
            (own.StatusCode, other.StatusCode, enable.StatusCode, key.StatusCode, operatorRead.StatusCode));
        Assert.DoesNotContain(SecretAmount, await other.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(DistributionStatus.Disabled, (await api.Store.GetAsync("CUST002", Ct))!.Status);
    }

    [Fact]
    public void KeyFile_StoresOnlyHashes()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("streambilling-keys-").FullName, "keys.json");
        var keys = new ApiKeyFile(path);

        var issued = keys.Create(ApiKeyRole.Customer, "CUST001", "alice");

        var text = File.ReadAllText(path);
        Assert.DoesNotContain(issued.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Key[(issued.Key.LastIndexOf('_') + 1)..], text, StringComparison.Ordinal);
        Assert.Equal("CUST001", new ApiKeyFile(path).Verify(issued.Key)?.AccountId);
        Assert.Throws<ArgumentException>(() => keys.Create(ApiKeyRole.Customer, "CUST\0001", "nul"));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    private static IEnumerable<(HttpMethod Method, string Path)> AllEndpoints(string customer) =>
    [
        .. CustomerPaths.Select(p => (HttpMethod.Get, string.Format(System.Globalization.CultureInfo.InvariantCulture, p, customer))),
        (HttpMethod.Post, $"/v1/customers/{customer}/cdn/enable"),
        (HttpMethod.Get, "/v1/usage/weekly-cost?service=ec2&from=2024-07-01&to=2024-08-01"),
        (HttpMethod.Get, "/v1/caller"),
        (HttpMethod.Get, "/v1/customers"),
        (HttpMethod.Get, "/v1/cdn/registry"),
        (HttpMethod.Post, "/v1/cdn/registry"),
        (HttpMethod.Get, $"/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-31&customerId={customer}"),
    ];

    /// <summary>CUST001 and CUST002 each with a July invoice and a disabled CDN; CUST002's total is <see cref="SecretAmount"/>.</summary>
    private static async Task<ApiServer> StartWithTwoCustomersAsync(ApiAccessMode mode = ApiAccessMode.ApiKeys)
    {
        var api = await ApiServer.StartAsync(mode);
        await api.DisableAsync("CUST001", "decision-CUST001");
        await api.DisableAsync("CUST002", "decision-CUST002");
        await api.Store.UpsertDistributionsAsync([ApiServer.Distribution("CUST001"), ApiServer.Distribution("CUST002")], ApiServer.Now, Ct);
        await api.Store.UpsertInvoicesAsync([Invoice("CUST001", 1.5m), Invoice("CUST002", 987.654321m)], Ct);
        await api.Store.UpsertAsync([Rollup("CUST001", 1.5m), Rollup("CUST002", 987.654321m)], Ct);
        return api;
    }

    private static RollupRow Rollup(string customer, decimal cost) =>
        new(customer, "us-east-1", "Admin", "Ec2", new DateTimeOffset(2024, 7, 1, 10, 0, 0, TimeSpan.Zero), 60m, "Minutes", cost, "USD", 1, "rollup-" + customer);

    private static StoredInvoice Invoice(string customer, decimal amount)
    {
        var month = new BillingMonth(2024, 7);
        var header = new InvoiceHeader($"{customer}/{month}", customer, month, "Final", 1, month.End, "USD", amount, 0m, amount);
        return new StoredInvoice(header, "id-" + customer, new InvoiceDocument(header, customer + " Corp", [], []).ToJson());
    }

}
