using System.Security.Claims;

namespace StreamBilling.Api.Access;

/// <summary>Who made a request: an operator (every account), or a customer (its own account only).</summary>
/// <param name="AccountId">The customer's account; null for an operator.</param>
/// <param name="IsOperator">Whether the caller may read every account and act as an operator.</param>
internal sealed record Caller(string? AccountId, bool IsOperator)
{
    public const string AccountClaim = "streambilling/account";
    public const string RoleClaim = "streambilling/role";
    public const string OperatorRole = "operator";

    /// <summary>Whether the caller may see <paramref name="accountId"/>'s data.</summary>
    public bool MaySee(string accountId) => IsOperator || string.Equals(AccountId, accountId, StringComparison.Ordinal);

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(RoleClaim, IsOperator ? OperatorRole : "customer") };
        if (AccountId is not null)
        {
            claims.Add(new Claim(AccountClaim, AccountId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static Caller? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new Caller(user.FindFirst(AccountClaim)?.Value, user.HasClaim(RoleClaim, OperatorRole))
            : null;
}
