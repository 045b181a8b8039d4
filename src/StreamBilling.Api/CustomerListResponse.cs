namespace StreamBilling.Api;

/// <summary>Answer of <c>GET /v1/customers</c> (operators only): every account the store holds an invoice for.</summary>
/// <param name="Customers">Account ids in ordinal order.</param>
internal sealed record CustomerListResponse(IReadOnlyList<string> Customers);
