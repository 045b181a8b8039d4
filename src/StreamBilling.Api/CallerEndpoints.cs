using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamBilling.Api.Access;
using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>Who calls (<c>GET /v1/caller</c>) and, for operators, which accounts there are (<c>GET /v1/customers</c>).</summary>
internal static class CallerEndpoints
{
    public static Ok<CallerResponse> Get(HttpContext http)
    {
        // The scope filter has already refused requests without a caller.
        var caller = Caller.From(http.User)!;
        return TypedResults.Ok(new CallerResponse(caller.IsOperator ? Caller.OperatorRole : "customer", caller.AccountId));
    }

    public static async Task<Ok<CustomerListResponse>> ListCustomersAsync(IInvoiceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CustomerListResponse(await store.ListInvoicedCustomersAsync(cancellationToken)));
}
