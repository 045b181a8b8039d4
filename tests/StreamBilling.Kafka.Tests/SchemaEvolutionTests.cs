using Confluent.SchemaRegistry;

namespace StreamBilling.Kafka.Tests;

// Confluent's levels, as documented: BACKWARD = the NEW schema can read data written with the previous one (so deleting
// a field is allowed and adding one needs a default); FORWARD = the PREVIOUS schema can read data written with the new
// one (so deleting a field without a default fails); FULL = both. The issue's "removing a required field fails" holds
// under FORWARD and FULL; under BACKWARD Confluent accepts it, and so does this registry (tested below).
public sealed class SchemaEvolutionTests
{
    private const string V1 = """
        {"type":"record","name":"Usage","namespace":"t","fields":[
          {"name":"id","type":"string"},{"name":"quantity","type":"long"}]}
        """;

    private const string AddedOptionalField = """
        {"type":"record","name":"Usage","namespace":"t","fields":[
          {"name":"id","type":"string"},{"name":"quantity","type":"long"},
          {"name":"region","type":["null","string"],"default":null}]}
        """;

    private const string AddedRequiredField = """
        {"type":"record","name":"Usage","namespace":"t","fields":[
          {"name":"id","type":"string"},{"name":"quantity","type":"long"},{"name":"region","type":"string"}]}
        """;

    private const string RemovedRequiredField = """
        {"type":"record","name":"Usage","namespace":"t","fields":[{"name":"id","type":"string"}]}
        """;

    private static async Task<InMemorySchemaRegistryClient> RegistryWithV1Async(Compatibility level)
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.UpdateCompatibilityAsync(level, "usage-value");
        await registry.RegisterSchemaAsync("usage-value", V1);
        return registry;
    }

    [Fact]
    public async Task Backward_AddOptionalFieldWithDefault_IsCompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        Assert.True(await registry.IsCompatibleAsync("usage-value", AddedOptionalField));
    }

    [Fact]
    public async Task Backward_AddRequiredFieldWithoutDefault_IsIncompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        Assert.False(await registry.IsCompatibleAsync("usage-value", AddedRequiredField));
    }

    [Fact]
    public async Task Backward_RemoveRequiredField_IsCompatibleAsInConfluent()
    {
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        Assert.True(await registry.IsCompatibleAsync("usage-value", RemovedRequiredField));
    }

    [Fact]
    public async Task Forward_RemoveRequiredField_IsIncompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.Forward);
        Assert.False(await registry.IsCompatibleAsync("usage-value", RemovedRequiredField));
    }

    [Fact]
    public async Task Full_RemoveRequiredField_IsIncompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.Full);
        Assert.False(await registry.IsCompatibleAsync("usage-value", RemovedRequiredField));
    }

    [Fact]
    public async Task Full_AddOptionalFieldWithDefault_IsCompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.Full);
        Assert.True(await registry.IsCompatibleAsync("usage-value", AddedOptionalField));
    }

    [Fact]
    public async Task None_AnyChange_IsCompatible()
    {
        var registry = await RegistryWithV1Async(Compatibility.None);
        Assert.True(await registry.IsCompatibleAsync("usage-value", """{"type":"record","name":"Other","fields":[{"name":"x","type":"int"}]}"""));
    }

    [Fact]
    public async Task Register_IncompatibleSchema_ThrowsConflict()
    {
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.RegisterSchemaAsync("usage-value", AddedRequiredField));
        Assert.Equal(409, error.ErrorCode);
        Assert.Contains("region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_CompatibleSchema_AddsVersion2()
    {
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        await registry.RegisterSchemaAsync("usage-value", AddedOptionalField);
        Assert.Equal([1, 2], await registry.GetSubjectVersionsAsync("usage-value"));
    }

    private const string ReAddedAsStringWithDefault = """
        {"type":"record","name":"Usage","namespace":"t","fields":[
          {"name":"id","type":"string"},{"name":"quantity","type":"string","default":""}]}
        """;

    [Fact]
    public async Task Backward_ChecksOnlyTheLatestVersion()
    {
        // v3 reads v2 data (quantity defaults) but not v1 data (long is not readable as string): BACKWARD looks at v2 only.
        var registry = await RegistryWithV1Async(Compatibility.Backward);
        await registry.RegisterSchemaAsync("usage-value", RemovedRequiredField);
        Assert.True(await registry.IsCompatibleAsync("usage-value", ReAddedAsStringWithDefault));
    }

    [Fact]
    public async Task BackwardTransitive_ChecksEveryEarlierVersion()
    {
        var registry = await RegistryWithV1Async(Compatibility.BackwardTransitive);
        await registry.RegisterSchemaAsync("usage-value", RemovedRequiredField);
        Assert.False(await registry.IsCompatibleAsync("usage-value", ReAddedAsStringWithDefault));
    }

    [Theory]
    [InlineData("int", "long", true)]
    [InlineData("long", "int", false)]
    [InlineData("float", "double", true)]
    [InlineData("string", "bytes", true)]
    [InlineData("string", "int", false)]
    public async Task Backward_FieldTypeChange_FollowsAvroPromotion(string oldType, string newType, bool compatible)
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("s-value", $$"""{"type":"record","name":"R","fields":[{"name":"f","type":"{{oldType}}"}]}""");
        Assert.Equal(compatible, await registry.IsCompatibleAsync("s-value", $$"""{"type":"record","name":"R","fields":[{"name":"f","type":"{{newType}}"}]}"""));
    }

    [Fact]
    public async Task Forward_EnumSymbolAddedWithoutReaderDefault_IsIncompatible()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.UpdateCompatibilityAsync(Compatibility.Forward, "e-value");
        await registry.RegisterSchemaAsync("e-value", """{"type":"enum","name":"Os","symbols":["Linux","Windows"]}""");
        Assert.False(await registry.IsCompatibleAsync("e-value", """{"type":"enum","name":"Os","symbols":["Linux","Windows","MacOs"]}"""));
    }

    [Fact]
    public async Task Backward_NullableUnionWidenedFromPlainType_IsCompatible()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("u-value", """{"type":"record","name":"R","fields":[{"name":"f","type":"string"}]}""");
        Assert.True(await registry.IsCompatibleAsync("u-value", """{"type":"record","name":"R","fields":[{"name":"f","type":["null","string"],"default":null}]}"""));
    }

    [Fact]
    public async Task Backward_RenamedRecord_IsIncompatible()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("r-value", """{"type":"record","name":"A","fields":[]}""");
        Assert.False(await registry.IsCompatibleAsync("r-value", """{"type":"record","name":"B","fields":[]}"""));
    }
}
