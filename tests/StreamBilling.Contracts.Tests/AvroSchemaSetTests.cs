using Avro;
using StreamBilling.Contracts.Generator;

namespace StreamBilling.Contracts.Tests;

public sealed class AvroSchemaSetTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("avro-schema-set-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Load_ReferenceToAFileSortedLater_Resolves()
    {
        // "A.Uses" sorts before "B.Kind", yet references it.
        Write("T.A.Uses", """{"type":"record","name":"Uses","namespace":"T.A","doc":"d","fields":[{"name":"k","type":"T.B.Kind","doc":"d"}]}""");
        Write("T.B.Kind", """{"type":"enum","name":"Kind","namespace":"T.B","doc":"d","symbols":["X","Y"]}""");

        var loaded = AvroSchemaSet.Load(_dir.FullName);

        var uses = Assert.IsType<RecordSchema>(loaded.Single(l => l.Schema.Fullname == "T.A.Uses").Schema);
        Assert.Equal("T.B.Kind", Assert.IsType<EnumSchema>(uses.Fields[0].Schema).Fullname);
    }

    [Fact]
    public void Load_UnknownTypeReference_FailsNamingTheFile()
    {
        Write("T.A.Uses", """{"type":"record","name":"Uses","namespace":"T.A","doc":"d","fields":[{"name":"k","type":"T.B.Missing","doc":"d"}]}""");

        var ex = Assert.Throws<SchemaParseException>(() => AvroSchemaSet.Load(_dir.FullName));

        Assert.Contains("T.A.Uses.avsc", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileNotNamedAfterTheType_Fails()
    {
        Write("T.A.Other", """{"type":"enum","name":"Kind","namespace":"T.A","doc":"d","symbols":["X"]}""");

        var ex = Assert.Throws<SchemaParseException>(() => AvroSchemaSet.Load(_dir.FullName));

        Assert.Contains("T.A.Kind.avsc", ex.Message, StringComparison.Ordinal);
    }

    private void Write(string fullName, string json) => File.WriteAllText(Path.Combine(_dir.FullName, fullName + ".avsc"), json);
}
