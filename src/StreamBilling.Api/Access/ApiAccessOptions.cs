using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api.Access;

/// <summary>Settings of the API's caller identification (section <c>Api:Access</c>).</summary>
public sealed class ApiAccessOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Api:Access";

    /// <summary>The header a gateway sets to the authenticated customer's account.</summary>
    public const string CustomerHeader = "X-Customer-Id";

    /// <summary>How callers are identified (default: API keys).</summary>
    public ApiAccessMode Mode { get; set; } = ApiAccessMode.ApiKeys;

    /// <summary>The API key file (hashed keys), relative to the working directory.</summary>
    public string KeyFile { get; set; } = ApiKeyFile.DefaultPath;
}
