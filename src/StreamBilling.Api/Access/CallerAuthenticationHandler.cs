using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api.Access;

/// <summary>
/// Identifies the caller: an API key (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>) looked up in the key file, or,
/// behind a gateway only, the <c>X-Customer-Id</c> header. Challenges and refusals answer with problem details.
/// </summary>
internal sealed class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiAccessOptions> access,
    ApiKeyFile keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StreamBilling";
    public const string ApiKeyHeader = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is { } presented)
        {
            var record = keys.Verify(presented);
            if (record is null)
            {
                return Task.FromResult(AuthenticateResult.Fail("The API key is not valid (unknown, malformed or revoked)."));
            }

            if (access.Value.Mode == ApiAccessMode.Gateway && record.Role != ApiKeyRole.Operator)
            {
                return Task.FromResult(AuthenticateResult.Fail("Behind a gateway only operator keys are accepted; customers are identified by the gateway."));
            }

            return Task.FromResult(Success(new Caller(record.AccountId, record.Role == ApiKeyRole.Operator)));
        }

        if (access.Value.Mode == ApiAccessMode.Gateway && Request.Headers.TryGetValue(ApiAccessOptions.CustomerHeader, out var header))
        {
            return Task.FromResult(header.Count == 1 && ApiKeyFile.IsValidAccountId(header[0])
                ? Success(new Caller(header[0], IsOperator: false))
                : AuthenticateResult.Fail($"{ApiAccessOptions.CustomerHeader} must be one account id."));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = access.Value.Mode == ApiAccessMode.Gateway
            ? $"Send {ApiAccessOptions.CustomerHeader} (set by the gateway) or an operator key as 'Authorization: Bearer <key>'."
            : $"Send an API key as 'Authorization: Bearer <key>' or '{ApiKeyHeader}: <key>' (streambilling apikey create).";
        await WriteProblemAsync("Authentication required", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Forbidden", "The caller may not do this.");
    }

    private static AuthenticateResult Success(Caller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));

    private string? PresentedKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return Request.Headers.TryGetValue(ApiKeyHeader, out var key) ? key.ToString().Trim() : null;
    }

    private async Task WriteProblemAsync(string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = Response.StatusCode, Title = title, Detail = detail },
        });
}
