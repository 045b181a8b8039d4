namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/customers/{customerId}/invoices</c>: the latest invoice header of each month billed.</summary>
/// <param name="CustomerId">Customer asked for.</param>
/// <param name="Invoices">One entry per month, oldest first; empty when the customer has no invoice.</param>
internal sealed record InvoiceListResponse(string CustomerId, IReadOnlyList<InvoiceListItem> Invoices);
