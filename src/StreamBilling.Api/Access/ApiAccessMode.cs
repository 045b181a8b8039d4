namespace StreamBilling.Api.Access;

/// <summary>How the API learns who calls it.</summary>
public enum ApiAccessMode
{
    /// <summary>Exposed directly: every request carries an API key (customer or operator), created with <c>streambilling apikey</c>.</summary>
    ApiKeys,

    /// <summary>
    /// Behind a gateway that authenticates customers and sets <c>X-Customer-Id</c> on every request (the CDN usage
    /// design): the header is the caller's account. Operators still use operator API keys.
    /// </summary>
    Gateway,
}
