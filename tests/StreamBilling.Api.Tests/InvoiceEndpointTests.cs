using System.Net;
using StreamBilling.Billing;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

public sealed class InvoiceEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_StoredInvoices_OneEntryPerMonthOldestFirstWithTheLatestRevision()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored(September(revision: 2)), Stored(August()), Stored(September(revision: 3)), Stored(OfCustomer(August(), "CUST002"))], Ct);

        var (response, body) = await api.GetAsync("/v1/customers/CUST001/invoices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CUST001", body.GetProperty("customerId").GetString());
        Assert.Equal(
            [("2024-08", "Final", 4L, 12.5m, 2.5m, 10m, "USD"), ("2024-09", "MonthToDate", 3L, 1.25m, 0.0209m, 1.2291m, "USD")],
            body.GetProperty("invoices").EnumerateArray().Select(i => (
                i.GetProperty("billingMonth").GetString(),
                i.GetProperty("status").GetString(),
                i.GetProperty("revision").GetInt64(),
                i.GetProperty("totalAmount").GetDecimal(),
                i.GetProperty("totalDiscount").GetDecimal(),
                i.GetProperty("actualAmount").GetDecimal(),
                i.GetProperty("currency").GetString())));
    }

    [Fact]
    public async Task List_CustomerWithoutInvoices_EmptyList()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored(August())], Ct);

        var (response, body) = await api.GetAsync("/v1/customers/CUST9999/invoices");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetProperty("invoices").GetArrayLength());
    }

    [Fact]
    public async Task Get_StoredMonth_TheFullInvoiceWithLinesCorrectionsAndTotals()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored(September(revision: 3))], Ct);

        var (response, body) = await api.GetAsync("/v1/customers/CUST001/invoices/2024-09");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ("CUST001/2024-09", "MonthToDate", 3L, "2024-09-01T00:00:00+00:00", 1.2291m),
            (body.GetProperty("invoiceId").GetString(), body.GetProperty("status").GetString(), body.GetProperty("revision").GetInt64(), body.GetProperty("periodStart").GetString(), body.GetProperty("actualAmount").GetDecimal()));
        var line = Assert.Single(body.GetProperty("lines").EnumerateArray());
        Assert.Equal(("Ec2", "t3.small", 0.0209m, 1.000000000m), (line.GetProperty("service").GetString(), line.GetProperty("resourceType").GetString(), line.GetProperty("rate").GetDecimal(), line.GetProperty("quantity").GetDecimal()));
        var correction = Assert.Single(body.GetProperty("corrections").EnumerateArray());
        Assert.Equal(("2024-08", 1.229100m), (correction.GetProperty("correctsMonth").GetString(), correction.GetProperty("amount").GetDecimal()));
    }

    [Fact]
    public async Task Get_StoredMonth_AnswersTheStoredDocumentByteForByte()
    {
        await using var api = await ApiServer.StartAsync();
        var september = September(revision: 3);
        await api.Store.UpsertInvoicesAsync([Stored(september)], Ct);

        using var response = await api.Client.GetAsync(new Uri("/v1/customers/CUST001/invoices/2024-09", UriKind.Relative), Ct);

        Assert.Equal(september.ToJson(), await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Get_MonthWithoutInvoice_Returns404ProblemDetails()
    {
        await using var api = await ApiServer.StartAsync();
        await api.Store.UpsertInvoicesAsync([Stored(August())], Ct);

        var (response, body) = await api.GetAsync("/v1/customers/CUST001/invoices/2024-07");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((404, "Invoice not found"), (body.GetProperty("status").GetInt32(), body.GetProperty("title").GetString()));
    }

    [Theory]
    [InlineData("2024-8")]
    [InlineData("2024-13")]
    [InlineData("2024-08-01")]
    [InlineData("august")]
    public async Task Get_BadMonth_Returns400ProblemDetailsNamingIt(string month)
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/customers/CUST001/invoices/" + month);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["month"], body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    private static InvoiceDocument August() =>
        Document("2024-08", "Final", 4, [Line("i-line-1", 12.5m, 2.5m, correctsMonth: null)], []);

    private static InvoiceDocument September(long revision) =>
        Document("2024-09", "MonthToDate", revision, [Line("i-line-2", 0.0209m, 0.0209m, correctsMonth: null)], [Line("i-line-3", 1.2291m, 0m, correctsMonth: "2024-08")]);

    private static InvoiceDocument Document(string month, string status, long revision, InvoiceDocumentLine[] lines, InvoiceDocumentLine[] corrections)
    {
        var billingMonth = BillingMonth.Parse(month);
        var all = lines.Concat(corrections).ToList();
        var header = new InvoiceHeader(
            "CUST001/" + month, "CUST001", billingMonth, status, revision, billingMonth.Start.AddDays(revision), "USD",
            all.Sum(l => l.Amount), all.Sum(l => l.Discount), all.Sum(l => l.ActualAmount));
        return new InvoiceDocument(header, "ABC Corporation", lines, corrections);
    }

    private static InvoiceDocument OfCustomer(InvoiceDocument d, string customer) =>
        d with { Header = d.Header with { CustomerId = customer, InvoiceId = InvoiceHeader.IdOf(customer, d.Header.BillingMonth) } };

    private static InvoiceDocumentLine Line(string id, decimal amount, decimal discount, string? correctsMonth) =>
        new(id, "Ec2", "us-east-1", "t3.small", "OnDemand", 1, 1800, 3600, 1.000000000m, "Hours", 0.0209m, amount, discount, amount - discount, correctsMonth);

    private static StoredInvoice Stored(InvoiceDocument d) =>
        new(d.Header, $"invoice-{d.Header.InvoiceId}-{d.Header.Revision}", d.ToJson());
}
