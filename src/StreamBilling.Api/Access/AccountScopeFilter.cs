using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace StreamBilling.Api.Access;

/// <summary>
/// Scopes every <c>/v1</c> endpoint to the caller: a customer asking for another account (the <c>customerId</c> of the
/// route, or of the query string where an endpoint takes it there) gets 404 (never 403, so the
/// answer does not confirm the account exists), operator-only endpoints refuse customers with 403, and with API keys an
/// <c>X-Customer-Id</c> header must name the key's own account.
/// </summary>
internal sealed class AccountScopeFilter(IOptions<ApiAccessOptions> access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (Caller.From(http.User) is not { } caller)
        {
            return TypedResults.Problem(title: "Authentication required", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (access.Value.Mode == ApiAccessMode.ApiKeys
            && http.Request.Headers.TryGetValue(ApiAccessOptions.CustomerHeader, out var asserted)
            && !(asserted.Count == 1 && caller.AccountId is not null && string.Equals(asserted[0], caller.AccountId, StringComparison.Ordinal)))
        {
            return TypedResults.Problem(
                title: "Forbidden",
                detail: $"{ApiAccessOptions.CustomerHeader} does not match the API key's account.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        // A blank id in the route names no account, for operators too (and stores refuse it); a query string's blank
        // customerId is the endpoint's to refuse as bad input.
        var route = http.GetRouteValue("customerId") as string;
        var named = route ?? (http.Request.Query.TryGetValue("customerId", out var query) ? query.ToString() : null);
        if ((route is not null && string.IsNullOrWhiteSpace(route)) || (named is { Length: > 0 } customerId && !caller.MaySee(customerId)))
        {
            return TypedResults.Problem(title: "Not found", detail: "No such resource.", statusCode: StatusCodes.Status404NotFound);
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<OperatorOnly>() is not null && !caller.IsOperator)
        {
            return TypedResults.Problem(title: "Forbidden", detail: "Only an operator may do this.", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
