namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/caller</c>: who the API takes the caller for (the portal's sign-in check).</summary>
/// <param name="Role"><c>customer</c> or <c>operator</c>.</param>
/// <param name="AccountId">The customer's account; null for an operator.</param>
internal sealed record CallerResponse(string Role, string? AccountId);
