using Avro;
using Avro.Specific;

namespace StreamBilling.Kafka.Tests.Records;

/// <summary>A small hand-written Avro record for Kafka tests, independent of the generated contracts.</summary>
public sealed class MeterReading : ISpecificRecord
{
    /// <summary>Version 1 of the schema; Confluent's serializer reads this static field.</summary>
#pragma warning disable IDE1006 // The name is Avro's specific-record convention, looked up by reflection.
    public static readonly Schema _SCHEMA = Schema.Parse(SchemaV1);
#pragma warning restore IDE1006

    /// <summary>Schema text, version 1.</summary>
    public const string SchemaV1 = """
        {"type":"record","name":"MeterReading","namespace":"StreamBilling.Kafka.Tests.Records","fields":[
          {"name":"readingId","type":"string"},
          {"name":"customerId","type":"string"},
          {"name":"quantity","type":"long"},
          {"name":"note","type":["null","string"],"default":null}
        ]}
        """;

    public string ReadingId { get; set; } = string.Empty;

    public string CustomerId { get; set; } = string.Empty;

    public long Quantity { get; set; }

    public string? Note { get; set; }

    public Schema Schema => _SCHEMA;

    public object? Get(int fieldPos) => fieldPos switch
    {
        0 => ReadingId,
        1 => CustomerId,
        2 => Quantity,
        3 => Note,
        _ => throw new AvroRuntimeException($"Bad index {fieldPos} in Get()"),
    };

    public void Put(int fieldPos, object? fieldValue)
    {
        switch (fieldPos)
        {
            case 0: ReadingId = (string)fieldValue!; break;
            case 1: CustomerId = (string)fieldValue!; break;
            case 2: Quantity = (long)fieldValue!; break;
            case 3: Note = (string?)fieldValue; break;
            default: throw new AvroRuntimeException($"Bad index {fieldPos} in Put()");
        }
    }
}
