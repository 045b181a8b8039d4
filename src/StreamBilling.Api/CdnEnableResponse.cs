namespace StreamBilling.Api;

/// <summary>Answer of <c>POST /v1/customers/{customerId}/cdn/enable</c>.</summary>
/// <param name="Changed">True when this call re-enabled the distribution; false when an earlier enable had (its event is published again).</param>
/// <param name="EventId">Id of the <c>CdnStatusChanged</c> published to <c>cdn.status</c>.</param>
/// <param name="Distribution">The status after the call.</param>
internal sealed record CdnEnableResponse(bool Changed, string EventId, CdnStatusResponse Distribution);
