using System.Net;
using StreamBilling.Billing;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

/// <summary>
/// <c>GET /v1/caller</c> (who the key belongs to: the portal's sign-in) and <c>GET /v1/customers</c> (the operator's
/// account list: the portal's picker; customers are refused).
/// </summary>
public sealed class CallerEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Caller_WithACustomerKey_IsThatCustomer()
    {
        await using var api = await ApiServer.StartAsync();
        using var customer = api.CustomerClient("CUST001");

        using var response = await customer.GetAsync(new Uri("/v1/caller", UriKind.Relative), Ct);

        Assert.Equal("""{"role":"customer","accountId":"CUST001"}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Caller_WithAnOperatorKey_IsTheOperatorOfNoAccount()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/caller");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("operator", body.GetProperty("role").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("accountId").ValueKind);
    }

    [Fact]
    public async Task Customers_ForAnOperator_ListsEveryInvoicedAccountOnce_InOrdinalOrder()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored("CUST010", "2024-07"), Stored("CUST002", "2024-07"), Stored("CUST002", "2024-08")], Ct);

        var (_, body) = await api.GetAsync("/v1/customers");

        Assert.Equal(["CUST002", "CUST010"], body.GetProperty("customers").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Customers_ForACustomer_Is403WithoutAnyAccountId()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored("CUST002", "2024-07")], Ct);
        using var customer = api.CustomerClient("CUST001");

        using var response = await customer.GetAsync(new Uri("/v1/customers", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("CUST002", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static StoredInvoice Stored(string customer, string month)
    {
        var billingMonth = BillingMonth.Parse(month);
        var header = new InvoiceHeader($"{customer}/{month}", customer, billingMonth, "MonthToDate", 1, billingMonth.Start, "USD", 1m, 0m, 1m);
        return new StoredInvoice(header, "event-" + header.InvoiceId, new InvoiceDocument(header, null, [], []).ToJson());
    }
}
