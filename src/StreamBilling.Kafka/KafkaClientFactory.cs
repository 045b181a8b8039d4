using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace StreamBilling.Kafka;

/// <summary>
/// Builds every Kafka client StreamBilling uses, configured for the current cluster: idempotent lz4 producers with
/// acks=all; cooperative-sticky group consumers without auto-commit that fail on truncated partitions; Avro serdes
/// with TopicNameStrategy subjects (<c>&lt;topic&gt;-value</c>); produced/consumed counts and spans.
/// </summary>
public sealed partial class KafkaClientFactory
{
    private readonly IKafkaCluster _cluster;
    private readonly ISchemaRegistryClient _schemaRegistry;
    private readonly KafkaOptions _options;
    private readonly KafkaTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the factory.</summary>
    public KafkaClientFactory(
        IKafkaCluster cluster,
        ISchemaRegistryClient schemaRegistry,
        IOptions<KafkaOptions> options,
        KafkaTelemetry telemetry,
        TimeProvider? timeProvider = null,
        ILogger<KafkaClientFactory>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _schemaRegistry = schemaRegistry ?? throw new ArgumentNullException(nameof(schemaRegistry));
        _options = options.Value;
        _telemetry = telemetry ?? throw new ArgumentNullException(nameof(telemetry));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The cluster the clients connect to.</summary>
    public IKafkaCluster Cluster => _cluster;

    /// <summary>The schema registry the Avro serdes use.</summary>
    public ISchemaRegistryClient SchemaRegistry => _schemaRegistry;

    /// <summary>Producer defaults: idempotent, acks=all, lz4, short linger (embedded: no compression, 20 ms linger).</summary>
    public ProducerConfig CreateProducerConfig() => new()
    {
        BootstrapServers = _cluster.BootstrapServers,
        ClientId = _options.ClientId,
        EnableIdempotence = true,
        Acks = Acks.All,
        // In-process, compression only costs CPU on both sides of every batch.
        CompressionType = _cluster.IsEmbedded ? CompressionType.None : CompressionType.Lz4,
        // The embedded broker finds a fetch offset by walking a partition's batches from the oldest: fewer, larger batches.
        LingerMs = _cluster.IsEmbedded ? 20 : 5,
    };

    /// <summary>Group consumer defaults: cooperative-sticky, manual commits, <c>auto.offset.reset=error</c>, short sessions and fetch waits in embedded mode.</summary>
    public ConsumerConfig CreateConsumerConfig(string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var session = _options.SessionTimeout ?? (_cluster.IsEmbedded ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(45));
        return new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            ClientId = _options.ClientId,
            GroupId = groupId,
            EnableAutoCommit = false,

            // Never let librdkafka jump over deleted records; StartOffsets resolves legitimate starts explicitly.
            AutoOffsetReset = AutoOffsetReset.Error,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            SessionTimeoutMs = (int)session.TotalMilliseconds,
            HeartbeatIntervalMs = (int)Math.Max(100, session.TotalMilliseconds / 6),

            // The embedded broker holds an empty fetch for the whole wait even when records arrive meanwhile (a real
            // broker answers as soon as they do), so a caught-up consumer would idle up to the 500 ms default.
            FetchWaitMaxMs = _cluster.IsEmbedded ? 25 : null,
        };
    }

    /// <summary>Admin client configuration for the cluster.</summary>
    public AdminClientConfig CreateAdminConfig() => new()
    {
        BootstrapServers = _cluster.BootstrapServers,
        ClientId = _options.ClientId + "-admin",
    };

    /// <summary>An admin client. On the embedded cluster CreateTopics is unsupported (use <see cref="ITopicProvisioner"/>) and ListConsumerGroups/DeleteGroups crash the process.</summary>
    public IAdminClient CreateAdminClient() => new AdminClientBuilder(CreateAdminConfig()).SetLogHandler(LogClientMessage).Build();

    /// <summary>An Avro value serializer registering <typeparamref name="T"/>'s schema under <c>&lt;topic&gt;-value</c>.</summary>
    public ISerializer<T> CreateAvroSerializer<T>()
        where T : ISpecificRecord, new() =>
        new AvroWireSerde<T>(_schemaRegistry);

    /// <summary>An Avro value serializer for values of any generated class (one typed serializer per runtime type), subjects <c>&lt;topic&gt;-value</c>.</summary>
    public ISerializer<ISpecificRecord> CreateSpecificRecordSerializer() => new SpecificRecordSerializer(_schemaRegistry);

    /// <summary>
    /// A publisher of Avro records of any generated class to any topic. With <paramref name="backPressureGroups"/>, sends pause
    /// while one of those groups lags more than <paramref name="maxLagPerPartition"/> records (default
    /// <see cref="KafkaOptions.MaxLagPerPartition"/>) on a partition of the target topic.
    /// </summary>
    public RecordPublisher CreateRecordPublisher(IReadOnlyCollection<string>? backPressureGroups = null, long? maxLagPerPartition = null, Action<ProducerConfig>? configure = null) =>
        CreateRecordPublisher(backPressureGroups?.Select(g => new BackPressureGroup(g)).ToList(), maxLagPerPartition, configure);

    /// <summary>
    /// A publisher of Avro records of any generated class to any topic. A send to a topic pauses while one of
    /// <paramref name="backPressureGroups"/> that reads it lags more than <paramref name="maxLagPerPartition"/> records
    /// (default <see cref="KafkaOptions.MaxLagPerPartition"/>) on a partition.
    /// </summary>
    public RecordPublisher CreateRecordPublisher(IReadOnlyCollection<BackPressureGroup>? backPressureGroups, long? maxLagPerPartition = null, Action<ProducerConfig>? configure = null)
    {
        var producer = CreateProducer(Serializers.Utf8, CreateSpecificRecordSerializer(), configure);
        var backPressure = backPressureGroups is { Count: > 0 } ? WithBackPressure(producer, backPressureGroups, maxLagPerPartition) : null;
        return new RecordPublisher(producer, backPressure, _timeProvider);
    }

    /// <summary>An Avro value deserializer resolving writer schemas by id through the registry.</summary>
    public IDeserializer<T> CreateAvroDeserializer<T>()
        where T : ISpecificRecord, new() =>
        new AvroWireSerde<T>(_schemaRegistry);

    /// <summary>A producer with string keys and Avro values.</summary>
    public IProducer<string, TValue> CreateAvroProducer<TValue>(Action<ProducerConfig>? configure = null)
        where TValue : ISpecificRecord, new() =>
        CreateProducer(Serializers.Utf8, CreateAvroSerializer<TValue>(), configure);

    /// <summary>A producer of raw bytes.</summary>
    public IProducer<byte[], byte[]> CreateRawProducer(Action<ProducerConfig>? configure = null) =>
        CreateProducer(Serializers.ByteArray, Serializers.ByteArray, configure);

    /// <summary>A producer with the given serializers and StreamBilling's defaults.</summary>
    public IProducer<TKey, TValue> CreateProducer<TKey, TValue>(ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer, Action<ProducerConfig>? configure = null)
    {
        var config = CreateProducerConfig();
        configure?.Invoke(config);
        var producer = new ProducerBuilder<TKey, TValue>(config)
            .SetKeySerializer(keySerializer)
            .SetValueSerializer(valueSerializer)
            .SetLogHandler(LogClientMessage)
            .SetErrorHandler((_, error) => LogClientError(error))
            .Build();
        return new InstrumentedProducer<TKey, TValue>(producer, _telemetry);
    }

    /// <summary>A group consumer with string keys and Avro values.</summary>
    public IConsumer<string, TValue> CreateAvroConsumer<TValue>(string groupId, KafkaConsumerOptions? options = null)
        where TValue : ISpecificRecord, new() =>
        CreateConsumer(groupId, Deserializers.Utf8, CreateAvroDeserializer<TValue>(), options);

    /// <summary>A group consumer of raw bytes.</summary>
    public IConsumer<byte[], byte[]> CreateRawConsumer(string groupId, KafkaConsumerOptions? options = null) =>
        CreateConsumer(groupId, Deserializers.ByteArray, Deserializers.ByteArray, options);

    /// <summary>
    /// A group consumer with the given deserializers; start offsets are resolved by <see cref="StartOffsets"/>. Consume with
    /// <see cref="KafkaConsumerExtensions.ConsumeChecked{TKey, TValue}(IConsumer{TKey, TValue}, CancellationToken)"/> to get a
    /// <see cref="TopicTruncatedException"/> instead of a raw offset-reset error when records it needed were deleted.
    /// </summary>
    public IConsumer<TKey, TValue> CreateConsumer<TKey, TValue>(string groupId, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer, KafkaConsumerOptions? options = null) =>
        BuildConsumer(groupId, keyDeserializer, new CountingDeserializer<TValue>(valueDeserializer, _telemetry), options);

    /// <summary>A consumer of Avro values that dead-letters records failing to deserialize or failing <paramref name="validate"/> (which returns an error message, or null when valid).</summary>
    public DeadLetteringConsumer<string, TValue> CreateDeadLetteringAvroConsumer<TValue>(string groupId, Func<TValue, string?>? validate = null, KafkaConsumerOptions? options = null)
        where TValue : ISpecificRecord, new() =>
        CreateDeadLetteringConsumer(groupId, Deserializers.Utf8, CreateAvroDeserializer<TValue>(), validate, options);

    /// <summary>A consumer with the given deserializers that dead-letters records failing to deserialize or failing <paramref name="validate"/>.</summary>
    public DeadLetteringConsumer<TKey, TValue> CreateDeadLetteringConsumer<TKey, TValue>(
        string groupId,
        IDeserializer<TKey> keyDeserializer,
        IDeserializer<TValue> valueDeserializer,
        Func<TValue, string?>? validate = null,
        KafkaConsumerOptions? options = null)
    {
        // The raw consumer is not instrumented: the wrapper counts consumed and dead-lettered records itself.
        var consumer = BuildConsumer(groupId, Deserializers.ByteArray, Deserializers.ByteArray, options);
        var deadLetters = CreateProducer(Serializers.ByteArray, Serializers.ByteArray);
        return new DeadLetteringConsumer<TKey, TValue>(groupId, consumer, keyDeserializer, valueDeserializer, validate, deadLetters, _telemetry, _timeProvider);
    }

    /// <summary>
    /// Wraps <paramref name="producer"/> (taking ownership) so sends pause while any of <paramref name="consumerGroups"/>
    /// lags more than <paramref name="maxLagPerPartition"/> records (default <see cref="KafkaOptions.MaxLagPerPartition"/>) on a partition.
    /// </summary>
    public BackPressureProducer<TKey, TValue> WithBackPressure<TKey, TValue>(IProducer<TKey, TValue> producer, IReadOnlyCollection<string> consumerGroups, long? maxLagPerPartition = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(consumerGroups);
        return WithBackPressure(producer, consumerGroups.Select(g => new BackPressureGroup(g)).ToList(), maxLagPerPartition, pollInterval);
    }

    /// <summary>
    /// Wraps <paramref name="producer"/> (taking ownership) so a send to a topic pauses while one of <paramref name="consumerGroups"/>
    /// that reads it lags more than <paramref name="maxLagPerPartition"/> records (default <see cref="KafkaOptions.MaxLagPerPartition"/>) on a partition.
    /// </summary>
    public BackPressureProducer<TKey, TValue> WithBackPressure<TKey, TValue>(IProducer<TKey, TValue> producer, IReadOnlyCollection<BackPressureGroup> consumerGroups, long? maxLagPerPartition = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(consumerGroups);
        if (consumerGroups.Count == 0)
        {
            throw new ArgumentException("At least one consumer group must be watched.", nameof(consumerGroups));
        }

        var readers = consumerGroups
            .Select(group => (group, new ConsumerBuilder<Ignore, Ignore>(CreateConsumerConfig(group.GroupId)).SetLogHandler(LogClientMessage).Build()))
            .ToList();
        var probe = new ConsumerLagProbe(CreateAdminClient(), readers);
        return new BackPressureProducer<TKey, TValue>(producer, probe, maxLagPerPartition ?? _options.MaxLagPerPartition, pollInterval ?? TimeSpan.FromMilliseconds(20), _timeProvider);
    }

    private IConsumer<TKey, TValue> BuildConsumer<TKey, TValue>(string groupId, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer, KafkaConsumerOptions? options)
    {
        options ??= new KafkaConsumerOptions();
        var config = CreateConsumerConfig(groupId);
        options.Configure?.Invoke(config);
        return new ConsumerBuilder<TKey, TValue>(config)
            .SetKeyDeserializer(keyDeserializer)
            .SetValueDeserializer(valueDeserializer)
            .SetLogHandler(LogClientMessage)
            .SetErrorHandler((_, error) => LogClientError(error))
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                var starts = StartOffsets.Resolve(consumer, partitions, options.WhenNoCommittedOffset);
                options.PartitionsAssigned?.Invoke(starts);
                return options.ResolveStarts?.Invoke(starts) ?? starts;
            })
            .SetPartitionsRevokedHandler((_, offsets) => options.PartitionsRevoked?.Invoke(offsets))
            .SetPartitionsLostHandler((_, offsets) => options.PartitionsLost?.Invoke(offsets))
            .Build();
    }

    private void LogClientMessage<TClient>(TClient client, LogMessage message)
    {
        // librdkafka chats at notice/info level (the mock cluster announces itself on every client); keep warnings and worse.
        if (message.Level <= SyslogLevel.Warning)
        {
            LogLibrdkafka(_logger, message.Name, message.Facility, message.Message);
        }
    }

    private void LogClientError(Error error)
    {
        if (error.IsFatal)
        {
            LogFatal(_logger, error.Code, error.Reason);
        }
        else
        {
            LogTransient(_logger, error.Code, error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "librdkafka {Client} {Facility}: {Text}")]
    private static partial void LogLibrdkafka(ILogger logger, string client, string facility, string text);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal Kafka client error {Code}: {Reason}")]
    private static partial void LogFatal(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka client error {Code}: {Reason}")]
    private static partial void LogTransient(ILogger logger, ErrorCode code, string reason);
}
