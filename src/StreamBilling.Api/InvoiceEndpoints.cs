using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamBilling.Billing;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>The invoice endpoints: a customer's months and the latest invoice of one month (from <c>billing.invoices</c>).</summary>
internal static class InvoiceEndpoints
{
    public static async Task<Ok<InvoiceListResponse>> ListAsync(string customerId, IInvoiceStore store, CancellationToken cancellationToken)
    {
        // No customer registry to tell an unknown customer from one not billed yet: both list no months.
        var months = await store.ListInvoicesAsync(customerId, cancellationToken);
        return TypedResults.Ok(new InvoiceListResponse(customerId, [.. months.Select(InvoiceListItem.From)]));
    }

    public static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string customerId,
        string month,
        IInvoiceStore store,
        CancellationToken cancellationToken)
    {
        // Exactly yyyy-MM: the store keys months by that text, so 2024-8 would never match.
        if (month.Length != BillingMonth.Format.Length || !DateTime.TryParseExact(month, BillingMonth.Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [$"A UTC month as {BillingMonth.Format}, e.g. 2024-08."] });
        }

        // 9999-MM passes the format check but is no BillingMonth (its end would be past the calendar), so no invoice has it.
        var invoice = BillingMonth.TryParse(month, out var billingMonth) ? await store.GetInvoiceAsync(customerId, billingMonth, cancellationToken) : null;
        if (invoice is null)
        {
            return TypedResults.Problem(
                title: "Invoice not found",
                detail: $"The store holds no invoice of customer '{customerId}' for {month}.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(InvoiceResponse.From(InvoiceDocument.FromJson(invoice.Document)));
    }
}
