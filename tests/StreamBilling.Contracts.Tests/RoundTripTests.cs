using Avro.IO;
using Avro.Specific;

namespace StreamBilling.Contracts.Tests;

public sealed class RoundTripTests
{
    public static TheoryData<string> RecordNames() => SchemaCatalog.RecordNames();

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void GeneratedClass_Exists_ForEverySchema(string record)
    {
        var type = SampleRecords.ClrType(SchemaCatalog.Record(record));

        Assert.True(typeof(ISpecificRecord).IsAssignableFrom(type));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void GeneratedClass_AvroBinaryRoundTrip_PreservesEveryField(string record)
    {
        var schema = SchemaCatalog.Record(record);
        var original = SampleRecords.Create(schema, seed: 3);

        using var stream = new MemoryStream();
        new SpecificDatumWriter<ISpecificRecord>(original.Schema).Write(original, new BinaryEncoder(stream));
        stream.Position = 0;
        var type = original.GetType();
        var reader = typeof(SpecificDatumReader<>).MakeGenericType(type)
            .GetConstructor([typeof(Avro.Schema), typeof(Avro.Schema)])!
            .Invoke([original.Schema, original.Schema]);
        var copy = reader.GetType().GetMethod("Read")!.Invoke(reader, [null, new BinaryDecoder(stream)]);

        Assert.IsType(type, copy);
        SampleRecords.AssertEqual(schema, original, copy, record);
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void GeneratedClass_EmbeddedSchema_EqualsTheFile(string record)
    {
        var fromFile = SchemaCatalog.Record(record);
        var generated = (ISpecificRecord)Activator.CreateInstance(SampleRecords.ClrType(fromFile))!;

        // The generated class carries a copy of the schema: it must not have drifted from schemas/ (stale obj/ files).
        Assert.Equal(fromFile.ToString(), generated.Schema.ToString());
    }
}
