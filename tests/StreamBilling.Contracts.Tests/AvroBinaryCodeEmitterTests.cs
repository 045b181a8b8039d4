using Avro;
using StreamBilling.Contracts.Generator;

namespace StreamBilling.Contracts.Tests;

public sealed class AvroBinaryCodeEmitterTests
{
    [Theory]
    [InlineData("""{"type":"fixed","name":"Hash","size":4}""", "Fixed")]
    [InlineData("""["null","string","long"]""", "unions of null and one type")]
    [InlineData("""["string","long"]""", "unions of null and one type")]
    [InlineData("""["string"]""", "unions of null and one type")]
    [InlineData("""{"type":"int","logicalType":"date"}""", "logical type date")]
    [InlineData("""{"type":"array","items":{"type":"string","logicalType":"uuid"}}""", "logical type uuid")]
    public void UnsupportedReason_ConstructNotGenerated_NamesTheField(string fieldType, string reason)
    {
        var record = Record($$"""[{"name":"ok","type":"string"},{"name":"odd","type":{{fieldType}}}]""");

        var why = AvroBinaryCodeEmitter.UnsupportedReason(record);

        Assert.NotNull(why);
        Assert.Contains("T.R.odd", why, StringComparison.Ordinal);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedReason_RecursiveRecord_IsNull()
    {
        var record = Record("""[{"name":"next","type":["null","T.R"],"default":null}]""");

        Assert.Null(AvroBinaryCodeEmitter.UnsupportedReason(record));
    }

    [Fact]
    public void UnsupportedReason_NestedRecordWithFixed_NamesTheNestedField()
    {
        var record = Record("""[{"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"h","type":{"type":"fixed","name":"H","size":2}}]}}]""");

        Assert.Contains("T.Inner.h", AvroBinaryCodeEmitter.UnsupportedReason(record), StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_UnsupportedRecord_Throws()
    {
        var record = Record("""[{"name":"h","type":{"type":"fixed","name":"H","size":2}}]""");

        Assert.Throws<NotSupportedException>(() => AvroBinaryCodeEmitter.Emit(record));
    }

    [Fact]
    public void Records_NestedAndRepeatedRecords_EachOnceInOrderOfFirstUse()
    {
        var record = Record("""
            [{"name":"a","type":{"type":"record","name":"A","fields":[]}},
             {"name":"bs","type":{"type":"array","items":{"type":"record","name":"B","fields":[{"name":"a","type":"T.A"}]}}},
             {"name":"b","type":["null","T.B"]}]
            """);

        var names = AvroBinaryCodeEmitter.Records([record]).Select(r => r.Fullname);

        Assert.Equal(["T.R", "T.A", "T.B"], names);
    }

    private static RecordSchema Record(string fields) =>
        (RecordSchema)Schema.Parse($$"""{"type":"record","name":"R","namespace":"T","fields":{{fields}}}""");
}
