namespace StreamBilling.Api;

/// <summary>Optional body of <c>POST /v1/customers/{customerId}/cdn/enable</c>.</summary>
/// <param name="Reason">Why the operator re-enables (recorded as <c>operator enable: reason</c>).</param>
internal sealed record CdnEnableRequest(string? Reason);
