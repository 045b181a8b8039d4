using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro.IO;
using Avro.Specific;
using Confluent.SchemaRegistry;

namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// Confluent's Avro wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) for one generated class, with
/// TopicNameStrategy subjects (<c>&lt;topic&gt;-value</c>/<c>-key</c>). It writes with the class's schema, registered once
/// per subject (the registry checks compatibility), and reads any registered writer schema by id, resolving it against
/// the class's schema (schema evolution). The same bytes as Confluent's serializer at a fraction of its per-record cost (no
/// async state machine, no per-record registry cache lookups). Classes generated from schemas/ carry schema-specific code
/// (<see cref="IAvroBinaryRecord{TSelf}"/>): they are written with it, and read with it when the writer schema is the class's
/// own (the common case); any other writer schema, and any class without generated code, goes through Apache.Avro's
/// SpecificDatumWriter and resolving SpecificDatumReader. Thread-safe.
/// </summary>
/// <typeparam name="T">The generated record class.</typeparam>
public sealed class AvroWireCodec<T>
    where T : ISpecificRecord, new()
{
    private const byte MagicByte = 0;
    private const int HeaderBytes = 5;
    private const int MaxScratchBytes = 1 << 20;

    [ThreadStatic]
    private static MemoryStream? _scratch;
    [ThreadStatic]
    private static AvroBinaryWriter? _binaryScratch;
    private readonly ISchemaRegistryClient _registry;
    private readonly Avro.Schema _schema = new T().Schema;
    private readonly string _schemaJson;
    private readonly IAvroBinaryCodec<T>? _generated = AvroBinaryCodec.For<T>();
    private readonly SpecificDatumWriter<T> _writer;
    private readonly Lazy<Avro.Schema> _resolvingSchema;
    private readonly ConcurrentDictionary<string, int> _idBySubject = new(StringComparer.Ordinal);

    // Per writer schema id: the resolving reader, or null when the writer schema is T's own and the generated code reads it.
    private readonly ConcurrentDictionary<int, SpecificDatumReader<T>?> _readerById = new();

    /// <summary>Creates the codec over <paramref name="registry"/>.</summary>
    public AvroWireCodec(ISchemaRegistryClient registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _schemaJson = _schema.ToString();
        _writer = new SpecificDatumWriter<T>(_schema);
        _resolvingSchema = new Lazy<Avro.Schema>(() => KnownSymbolsOnly(_schemaJson));
    }

    /// <summary>Whether <typeparamref name="T"/> has generated Avro binary code, used for writing and for reading its own schema.</summary>
    internal bool HasGeneratedCode => _generated is not null;

    /// <summary>
    /// Serializes <paramref name="value"/> for <paramref name="topic"/>, its schema under <c>&lt;topic&gt;-value</c> (or
    /// <c>-key</c>). With <paramref name="recordNameSubject"/> the subject is the record's full name (Confluent's
    /// RecordNameStrategy), for a payload embedded in another record of the topic (a late record's original value): the
    /// topic's subject belongs to the outer record, and the payload's type evolves under its own name.
    /// </summary>
    public byte[] Serialize(T value, string topic, bool isKey = false, bool recordNameSubject = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var subject = recordNameSubject ? _schema.Fullname : topic + (isKey ? "-key" : "-value");
        if (!_idBySubject.TryGetValue(subject, out var id))
        {
            // Once per subject: registration is idempotent and returns the existing id for a known schema.
            id = _registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(_schemaJson, SchemaType.Avro)).GetAwaiter().GetResult();
            _idBySubject[subject] = id;
        }

        if (_generated is not null)
        {
            return SerializeGenerated(_generated, value, id);
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
        return Deserialize(data, data);
    }

    /// <summary>Deserializes Confluent wire-format <paramref name="data"/> written with any registered schema.</summary>
    public T Deserialize(ReadOnlySpan<byte> data) => Deserialize(data, null);

    /// <summary>Whether records written with schema <paramref name="schemaId"/> are read by the generated code (looks the id up once).</summary>
    internal bool ReadsWithGeneratedCode(int schemaId) => ReaderOf(schemaId) is null;

    private T Deserialize(ReadOnlySpan<byte> data, byte[]? array)
    {
        if (data.Length < HeaderBytes || data[0] != MagicByte)
        {
            throw new InvalidDataException($"Not Confluent Avro wire format (length {data.Length}, first byte {(data.Length > 0 ? data[0] : -1)}).");
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(data.Slice(1, 4));
        var resolving = ReaderOf(id);
        if (resolving is null)
        {
            var reader = new AvroBinaryReader(data[HeaderBytes..]);
            return _generated!.Read(ref reader);
        }

        // Apache.Avro reads from a stream: over the caller's array when there is one, else over a copy.
        using var stream = array is not null
            ? new MemoryStream(array, HeaderBytes, array.Length - HeaderBytes, writable: false)
            : new MemoryStream(data[HeaderBytes..].ToArray(), writable: false);
        try
        {
            return resolving.Read(default!, new BinaryDecoder(stream));
        }
        catch (Avro.AvroException e)
        {
            throw new InvalidDataException($"A {typeof(T).Name} written with schema id {id} does not resolve to this program's schema: {e.Message}", e);
        }
    }

    private static byte[] SerializeGenerated(IAvroBinaryCodec<T> generated, T value, int id)
    {
        // One buffer per thread, written in place and copied out once.
        var writer = _binaryScratch ??= new AvroBinaryWriter(1024);
        writer.Reset();
        var header = writer.GetSpan(HeaderBytes);
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], id);
        writer.Advance(HeaderBytes);
        generated.Write(value, writer);
        var bytes = writer.ToArray();
        if (writer.Capacity > MaxScratchBytes)
        {
            // A rare huge record should not pin its buffer for the thread's lifetime.
            _binaryScratch = null;
        }

        return bytes;
    }

    private SpecificDatumReader<T>? ReaderOf(int id) =>
        _readerById.GetOrAdd(id, static (schemaId, codec) => codec.ReaderFor(schemaId), this);

    private SpecificDatumReader<T>? ReaderFor(int id)
    {
        var writerSchema = Avro.Schema.Parse(_registry.GetSchemaAsync(id).GetAwaiter().GetResult().SchemaString);

        // The generated code reads exactly T's schema; any difference (a field, a symbol, a default, even a doc) resolves.
        return _generated is not null && string.Equals(writerSchema.ToString(), _schemaJson, StringComparison.Ordinal)
            ? null
            : new SpecificDatumReader<T>(writerSchema, _resolvingSchema.Value);
    }

    /// <summary>
    /// T's schema without its enums' default symbols: a writer's symbol this program lacks then fails the read (naming
    /// the symbol) instead of arriving as the default, which no processor could bill. Readers outside this program keep
    /// the defaults, so a new symbol does not break them.
    /// </summary>
    private static Avro.Schema KnownSymbolsOnly(string schemaJson)
    {
        var root = JsonNode.Parse(schemaJson)!;
        Strip(root);
        return Avro.Schema.Parse(root.ToJsonString());

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "enum"
                        && obj["default"] is JsonValue symbol && obj["symbols"] is JsonArray symbols)
                    {
                        var name = symbol.GetValue<string>();
                        symbols.Remove(symbols.First(s => s!.GetValue<string>() == name));
                        obj.Remove("default");
                    }

                    foreach (var (_, child) in obj.ToList())
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }
}
