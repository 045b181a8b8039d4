using Avro.Specific;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Pipeline.Sinks;

/// <summary>Registers a <see cref="StoreSinkService{TRecord}"/> as a hosted service.</summary>
internal static class StoreSinkRegistration
{
    /// <summary>
    /// A hosted loop of <paramref name="definition"/> in consumer group <paramref name="groupId"/>, storing at most
    /// <paramref name="maxBatchSize"/> records per batch, logging under <typeparamref name="TCategory"/>.
    /// </summary>
    public static IServiceCollection AddStoreSink<TRecord, TCategory>(
        this IServiceCollection services,
        Func<IServiceProvider, StoreSinkDefinition<TRecord>> definition,
        Func<IServiceProvider, string> groupId,
        Func<IServiceProvider, int> maxBatchSize)
        where TRecord : ISpecificRecord, new() =>
        services.AddHostedService(sp => new StoreSinkService<TRecord>(
            sp.GetRequiredService<KafkaClientFactory>(),
            definition(sp),
            groupId(sp),
            maxBatchSize(sp),
            sp.GetRequiredService<ILogger<TCategory>>()));
}
