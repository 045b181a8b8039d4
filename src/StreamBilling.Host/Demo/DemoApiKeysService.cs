using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using StreamBilling.Api.Access;
using StreamBilling.Kafka;
using StreamBilling.Portal;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Host.Demo;

/// <summary>
/// On the embedded demo, creates one customer key and one operator key for the usage API and prints them (the keys of
/// the previous demo run are revoked) and, once the server listens, the portal's URL, so the API and the portal can be
/// tried at once; a deployment creates keys with
/// <c>streambilling apikey create</c>.
/// </summary>
internal sealed partial class DemoApiKeysService(
    IOptions<KafkaOptions> kafka,
    IOptions<ApiAccessOptions> access,
    IOptions<DemoOptions> demo,
    ApiKeyFile keys,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<DemoApiKeysService> logger) : IHostedService
{
    private const string CustomerKeyName = "demo customer";
    private const string OperatorKeyName = "demo operator";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!kafka.Value.IsEmbedded || access.Value.Mode != ApiAccessMode.ApiKeys)
        {
            return Task.CompletedTask;
        }

        foreach (var old in keys.List().Where(k => k.IsActive && k.Name is CustomerKeyName or OperatorKeyName))
        {
            keys.Revoke(old.Id);
        }

        var customer = keys.Create(ApiKeyRole.Customer, demo.Value.KeyCustomer, CustomerKeyName);
        var @operator = keys.Create(ApiKeyRole.Operator, null, OperatorKeyName);
        LogKeys(logger, keys.Path, demo.Value.KeyCustomer, customer.Key, @operator.Key);
        // The server binds after the hosted services started: its address (e.g. from --urls) is known only then.
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
            LogPortal(logger, BrowsableAddress(address) + PortalExtensions.Path + "/");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A listening address a browser can open: a wildcard host (all interfaces) becomes localhost.</summary>
    internal static string BrowsableAddress(string address)
    {
        foreach (var wildcard in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
        {
            address = address.Replace(wildcard, "://localhost:", StringComparison.Ordinal);
        }

        return address.TrimEnd('/');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: usage API keys for this run (hashes in {File}; earlier demo keys revoked):\n      customer {Customer}: {CustomerKey}\n      operator: {OperatorKey}\n      e.g. curl -H 'Authorization: Bearer {CustomerKey}' http://localhost:5000/v1/customers/{Customer}/invoices")]
    private static partial void LogKeys(ILogger logger, string file, string customer, string customerKey, string operatorKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: portal at {PortalUrl} (sign in with one of the keys above)")]
    private static partial void LogPortal(ILogger logger, string portalUrl);
}
