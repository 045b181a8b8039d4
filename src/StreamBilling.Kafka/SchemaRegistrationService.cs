using Avro.Specific;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamBilling.Contracts;
using Schema = Confluent.SchemaRegistry.Schema;

namespace StreamBilling.Kafka;

/// <summary>
/// Registers each topic's value schema under <c>&lt;topic&gt;-value</c> (TopicNameStrategy) when the host starts, after the
/// topics exist and before anything produces. Consumers can then resolve every schema id from the start, including in
/// another process sharing an embedded broker, and an incompatible schema change fails the start instead of the first send.
/// </summary>
internal sealed partial class SchemaRegistrationService(ISchemaRegistryClient registry, IReadOnlyList<TopicSpec> topics, ILogger<SchemaRegistrationService> logger) : IHostedService
{
    /// <summary>How long a registry that does not answer yet is retried (<see cref="StartupRetry"/>) before the start fails.</summary>
    public TimeSpan StartupTimeout { get; init; } = KafkaOptions.DefaultStartupTimeout;

    /// <summary>Clock of the retry back-off.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first registration waits for the registry to come up; once it answered, the rest go straight through.
        var first = topics.FirstOrDefault(t => t.ValueType is not null);
        if (first is not null)
        {
            await StartupRetry.RunAsync("The Schema Registry", ct => RegisterAsync(first, ct), StartupTimeout, Time, logger, cancellationToken).ConfigureAwait(false);
        }

        var registered = 0;
        foreach (var topic in topics.Where(t => t.ValueType is not null))
        {
            await RegisterAsync(topic, cancellationToken).ConfigureAwait(false);
            registered++;
        }

        LogDone(logger, registered);
    }

    private async Task<int> RegisterAsync(TopicSpec topic, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var schema = ((ISpecificRecord)Activator.CreateInstance(topic.ValueType!)!).Schema;
        var subject = topic.Name + "-value";
        var id = await registry.RegisterSchemaAsync(subject, new Schema(schema.ToString(), SchemaType.Avro)).ConfigureAwait(false);
        LogRegistered(logger, subject, schema.Fullname, id);
        return id;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Registered {Subject} as {Record} (id {SchemaId})")]
    private static partial void LogRegistered(ILogger logger, string subject, string record, int schemaId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry: {Count} value subjects registered")]
    private static partial void LogDone(ILogger logger, int count);
}
