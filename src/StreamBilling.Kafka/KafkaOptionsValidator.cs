using Microsoft.Extensions.Options;

namespace StreamBilling.Kafka;

/// <summary>Fails start-up on settings that would only break later, deep inside librdkafka.</summary>
internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        if (!options.IsEmbedded)
        {
            foreach (var server in options.BootstrapServers!.Split(',', StringSplitOptions.TrimEntries))
            {
                var colon = server.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
                {
                    failures.Add($"Kafka:BootstrapServers entry '{server}' is not host:port.");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(options.SchemaRegistryUrl)
            && !(Uri.TryCreate(options.SchemaRegistryUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"SchemaRegistry:Url '{options.SchemaRegistryUrl}' is not an absolute http(s) URL.");
        }

        if (options.EmbeddedBrokers is < 1 or > 16)
        {
            failures.Add("Kafka:EmbeddedBrokers must be between 1 and 16.");
        }

        if (options.StartupTimeout < TimeSpan.Zero)
        {
            failures.Add("Kafka:StartupTimeout must not be negative.");
        }

        if (options.EmbeddedGroupInitialRebalanceDelay < TimeSpan.Zero || options.EmbeddedGroupInitialRebalanceDelay > TimeSpan.FromMinutes(5))
        {
            failures.Add("Kafka:EmbeddedGroupInitialRebalanceDelay must be between 0 and 5 minutes.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Kafka:ClientId must not be empty.");
        }

        if (options.SessionTimeout is { } timeout && (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromMinutes(30)))
        {
            failures.Add("Kafka:SessionTimeout must be between 1 s and 30 min.");
        }

        if (options.MaxLagPerPartition < 1)
        {
            failures.Add("Kafka:MaxLagPerPartition must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
