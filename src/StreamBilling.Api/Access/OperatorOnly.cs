namespace StreamBilling.Api.Access;

/// <summary>Endpoint metadata: only operators may call it (customers get 403 on their own account, 404 on others).</summary>
internal sealed class OperatorOnly;
