using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireLateRecord = StreamBilling.Events.Outputs.LateRecord;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Registers the <see cref="WireLateRecord"/> envelope under an application's late topic's subject
/// (<c>&lt;late topic&gt;-value</c>) when the host starts, before the application runs (after the catalog's subjects,
/// whose registration waits for the registry): a reader resolves the late topic's schema from the start, and an
/// incompatible change of the envelope fails the start instead of the first late record.
/// </summary>
internal sealed partial class LateTopicSchemaRegistration(ISchemaRegistryClient registry, string lateRecordsTopic, ILogger<LateTopicSchemaRegistration> logger) : IHostedService
{
    /// <summary>The subject this registers.</summary>
    public string Subject { get; } = lateRecordsTopic + "-value";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var id = await registry.RegisterSchemaAsync(Subject, new Schema(WireLateRecord._SCHEMA.ToString(), SchemaType.Avro)).ConfigureAwait(false);
        LogRegistered(logger, Subject, id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Registered {Subject} as the late-record envelope (id {SchemaId})")]
    private static partial void LogRegistered(ILogger logger, string subject, int schemaId);
}
