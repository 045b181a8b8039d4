using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.IO;
using Avro.Specific;
using Confluent.SchemaRegistry;

namespace StreamBilling.Kafka;

/// <summary>
/// Confluent's Avro wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) for one generated class, with
/// TopicNameStrategy subjects (<c>&lt;topic&gt;-value</c>/<c>-key</c>). It writes with the class's schema, registered once
/// per subject (the registry checks compatibility), and reads any registered writer schema by id, resolving it against
/// the class's schema (schema evolution). Apache.Avro's encoder is used directly: the same bytes as Confluent's
/// serializer at a fraction of its per-record cost (no async state machine, no per-record registry cache lookups).
/// Thread-safe.
/// </summary>
/// <typeparam name="T">The generated record class.</typeparam>
public sealed class AvroWireCodec<T>
    where T : ISpecificRecord, new()
{
    private const byte MagicByte = 0;
    private const int MaxScratchBytes = 1 << 20;

    [ThreadStatic]
    private static MemoryStream? _scratch;
    private readonly ISchemaRegistryClient _registry;
    private readonly Avro.Schema _schema = new T().Schema;
    private readonly SpecificDatumWriter<T> _writer;
    private readonly ConcurrentDictionary<string, int> _idBySubject = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, SpecificDatumReader<T>> _readerById = new();

    /// <summary>Creates the codec over <paramref name="registry"/>.</summary>
    public AvroWireCodec(ISchemaRegistryClient registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _writer = new SpecificDatumWriter<T>(_schema);
    }

    /// <summary>Serializes <paramref name="value"/> for <paramref name="topic"/>.</summary>
    public byte[] Serialize(T value, string topic, bool isKey = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var subject = topic + (isKey ? "-key" : "-value");
        if (!_idBySubject.TryGetValue(subject, out var id))
        {
            // Once per subject: registration is idempotent and returns the existing id for a known schema.
            id = _registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(_schema.ToString(), SchemaType.Avro)).GetAwaiter().GetResult();
            _idBySubject[subject] = id;
        }

        // One scratch stream per thread: the record's bytes are copied out once, with no growing buffers per record.
        var stream = _scratch ??= new MemoryStream(1024);
        stream.SetLength(0);
        stream.WriteByte(MagicByte);
        Span<byte> idBytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(idBytes, id);
        stream.Write(idBytes);
        _writer.Write(value, new BinaryEncoder(stream));
        var bytes = stream.ToArray();
        if (stream.Capacity > MaxScratchBytes)
        {
            // A rare huge record should not pin its buffer for the thread's lifetime.
            _scratch = null;
        }

        return bytes;
    }

    /// <summary>Deserializes Confluent wire-format <paramref name="data"/> written with any registered schema.</summary>
    public T Deserialize(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < 5 || data[0] != MagicByte)
        {
            throw new InvalidDataException($"Not Confluent Avro wire format (length {data.Length}, first byte {(data.Length > 0 ? data[0] : -1)}).");
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(1, 4));
        var reader = _readerById.GetOrAdd(id, static (schemaId, codec) => codec.ReaderFor(schemaId), this);
        using var stream = new MemoryStream(data, 5, data.Length - 5, writable: false);
        return reader.Read(default!, new BinaryDecoder(stream));
    }

    private SpecificDatumReader<T> ReaderFor(int id)
    {
        var writerSchema = _registry.GetSchemaAsync(id).GetAwaiter().GetResult();
        return new SpecificDatumReader<T>(Avro.Schema.Parse(writerSchema.SchemaString), _schema);
    }
}
