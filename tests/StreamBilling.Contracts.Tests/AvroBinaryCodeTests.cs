using Avro;
using Avro.Specific;
using StreamBilling.Contracts.Generator;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Contracts.Tests.Shapes;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Contracts.Tests;

/// <summary>
/// The generated Avro binary code against Apache.Avro's SpecificDatumWriter/Reader, for every record of schemas/ and the
/// test-only shapes: the same bytes out, the same records in. Each schema gets 200 seeded random records plus a smallest and
/// a largest one. Random values differ from field to field, so a field written or read out of place, or skipped, shifts
/// every byte after it and fails the comparison.
/// </summary>
public sealed class AvroBinaryCodeTests
{
    private const int RandomRecordsPerSchema = 200;

    private static readonly Lazy<IReadOnlyList<RecordSchema>> Shapes = new(() =>
        AvroSchemaSet.Load(RepositoryPaths.ShapeSchemas).Select(l => l.Schema).OfType<RecordSchema>().ToList());

    public static TheoryData<string> CatalogRecords() => SchemaCatalog.RecordNames();

    public static TheoryData<string> RecordsWithGeneratedCode()
    {
        var data = SchemaCatalog.RecordNames();
        data.Add(typeof(AllShapes).FullName!);
        data.Add(typeof(ShapeNode).FullName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogRecords))]
    public void CatalogRecord_HasGeneratedCode(string record)
    {
        Assert.True(CodecPair.For(RandomRecords.ClrType(Schema(record))).HasGeneratedCode, record + " has no generated Avro binary code: see the generator's build output for why.");
    }

    [Fact]
    public void RecordUsingFixed_HasNoGeneratedCode()
    {
        Assert.Null(AvroBinaryCodec.For<WithFixed>());
    }

    [Theory]
    [MemberData(nameof(RecordsWithGeneratedCode))]
    public void Write_RandomAndExtremeRecords_SameBytesAsSpecificDatumWriter(string record)
    {
        var schema = Schema(record);
        var codecs = CodecPair.For(RandomRecords.ClrType(schema));

        foreach (var (label, sample) in Samples(schema))
        {
            var expected = codecs.WriteWithApache(sample);
            var actual = codecs.WriteGenerated(sample);

            AssertSameBytes(expected, actual, $"{record} {label}");
        }
    }

    [Theory]
    [MemberData(nameof(RecordsWithGeneratedCode))]
    public void Read_SpecificDatumWritersBytes_SameRecordAsSpecificDatumReader(string record)
    {
        var schema = Schema(record);
        var codecs = CodecPair.For(RandomRecords.ClrType(schema));

        foreach (var (label, sample) in Samples(schema))
        {
            var bytes = codecs.WriteWithApache(sample);
            var expected = codecs.ReadWithApache(bytes);

            var (actual, bytesRead) = codecs.ReadGenerated(bytes);

            Assert.True(bytesRead == bytes.Length, $"{record} {label}: read {bytesRead} of {bytes.Length} bytes");
            var difference = AvroValueDifference.Find(schema, expected, actual, record);
            Assert.True(difference is null, $"{label}: {difference}");

            // Written again by Apache.Avro, both records give the same bytes (not always the original ones: Apache.Avro's
            // timestamp-millis conversion goes through a double and can move a date more than ~450 years from 1970 by 1 ms).
            AssertSameBytes(codecs.WriteWithApache(expected), codecs.WriteWithApache(actual), $"{record} {label}, both written again by Apache.Avro");
        }
    }

    [Theory]
    [MemberData(nameof(RecordsWithGeneratedCode))]
    public void Read_TruncatedRecord_ThrowsAvroException(string record)
    {
        var schema = Schema(record);
        var codecs = CodecPair.For(RandomRecords.ClrType(schema));

        // A few records of modest size, cut at every byte: the reader must report the end of the data, not overrun it.
        var samples = Enumerable.Range(0, 40)
            .Select(seed => codecs.WriteWithApache(new RandomRecords(seed).Create(schema)))
            .Where(bytes => bytes.Length <= 2048)
            .Take(3)
            .ToList();

        Assert.NotEmpty(samples);
        foreach (var bytes in samples)
        {
            for (var length = 0; length < bytes.Length; length++)
            {
                var cut = bytes[..length];
                Assert.Throws<AvroException>(() => codecs.ReadGenerated(cut));
            }
        }
    }

    [Fact]
    public void Write_NullInARequiredString_ThrowsNamingTheField()
    {
        var line = (PricedLineItem)new RandomRecords(1).Create((RecordSchema)PricedLineItem._SCHEMA);
        line.rateCardVersion = null;

        var error = Assert.Throws<AvroTypeException>(() => CodecPair.For(typeof(PricedLineItem)).WriteGenerated(line));

        Assert.Contains("StreamBilling.Events.Outputs.PricedLineItem.rateCardVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DecimalOfAnotherScale_ThrowsAsApacheAvroDoes()
    {
        var line = (PricedLineItem)new RandomRecords(2).Create((RecordSchema)PricedLineItem._SCHEMA);
        line.amount = new AvroDecimal(12.5m); // scale 1, the schema says 6
        var codecs = CodecPair.For(typeof(PricedLineItem));

        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => codecs.WriteWithApache(line));
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => codecs.WriteGenerated(line));
    }

    [Fact]
    public void Write_EnumValueWithoutASymbol_Throws()
    {
        var line = (PricedLineItem)new RandomRecords(3).Create((RecordSchema)PricedLineItem._SCHEMA);
        line.service = (ServiceKind)99;

        Assert.Throws<AvroTypeException>(() => CodecPair.For(typeof(PricedLineItem)).WriteGenerated(line));
    }

    [Fact]
    public void Read_EnumOrdinalBeyondTheSymbols_ThrowsAvroException()
    {
        var launched = new RandomRecords(4).Create((RecordSchema)InstanceLaunched._SCHEMA);
        var codecs = CodecPair.For(typeof(InstanceLaunched));
        var bytes = codecs.WriteGenerated(launched);

        // os has 4 symbols; ordinal 4 takes one zig-zag byte, like the valid ones, so only that byte changes.
        bytes[OffsetOfField((RecordSchema)launched.Schema, "os", bytes)] = 4 << 1;

        Assert.Throws<AvroException>(() => codecs.ReadGenerated(bytes));
    }

    /// <summary>Where <paramref name="field"/> starts in <paramref name="bytes"/>, found by reading past the fields before it.</summary>
    private static int OffsetOfField(RecordSchema schema, string field, byte[] bytes)
    {
        var reader = new AvroBinaryReader(bytes);
        foreach (var before in schema.Fields.TakeWhile(f => f.Name != field))
        {
            Skip(ref reader, before.Schema);
        }

        return reader.Position;
    }

    private static void Skip(ref AvroBinaryReader reader, Avro.Schema schema)
    {
        switch (schema)
        {
            case LogicalSchema:
            case PrimitiveSchema { Tag: Avro.Schema.Type.Long }:
            case EnumSchema:
                reader.ReadLong();
                break;
            case PrimitiveSchema { Tag: Avro.Schema.Type.String }:
                reader.ReadString();
                break;
            default:
                throw new NotSupportedException(schema.ToString());
        }
    }

    private static RecordSchema Schema(string fullName) =>
        SchemaCatalog.Records.Concat(Shapes.Value).Single(r => r.Fullname == fullName);

    private static IEnumerable<(string Label, ISpecificRecord Record)> Samples(RecordSchema schema)
    {
        yield return ("smallest", new RandomRecords(0, ValueProfile.Smallest).Create(schema));
        yield return ("largest", new RandomRecords(0, ValueProfile.Largest).Create(schema));
        for (var seed = 1; seed <= RandomRecordsPerSchema; seed++)
        {
            yield return ($"seed {seed}", new RandomRecords(seed).Create(schema));
        }
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual, string what)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = expected.AsSpan().CommonPrefixLength(actual);
        Assert.Fail($"{what}: {actual.Length} bytes instead of {expected.Length}, first difference at byte {at}: " +
                    $"expected {Convert.ToHexString(expected.AsSpan(at, Math.Min(16, expected.Length - at)))}, " +
                    $"got {Convert.ToHexString(actual.AsSpan(at, Math.Min(16, actual.Length - at)))}");
    }
}
