namespace StreamBilling.Storage.ApiKeys;

/// <summary>What an API key lets its holder see: one account, or every account and the operator actions.</summary>
public enum ApiKeyRole
{
    /// <summary>Reads its own account only.</summary>
    Customer,

    /// <summary>Reads every account and may re-enable a CDN distribution.</summary>
    Operator,
}
