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
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registered = 0;
        foreach (var topic in topics.Where(t => t.ValueType is not null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var schema = ((ISpecificRecord)Activator.CreateInstance(topic.ValueType!)!).Schema;
            var subject = topic.Name + "-value";
            var id = await registry.RegisterSchemaAsync(subject, new Schema(schema.ToString(), SchemaType.Avro)).ConfigureAwait(false);
            LogRegistered(logger, subject, schema.Fullname, id);
            registered++;
        }

        LogDone(logger, registered);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Registered {Subject} as {Record} (id {SchemaId})")]
    private static partial void LogRegistered(ILogger logger, string subject, string record, int schemaId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry: {Count} value subjects registered")]
    private static partial void LogDone(ILogger logger, int count);
}
