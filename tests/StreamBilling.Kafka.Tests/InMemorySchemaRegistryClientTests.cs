using Confluent.SchemaRegistry;

namespace StreamBilling.Kafka.Tests;

public sealed class InMemorySchemaRegistryClientTests
{
    private const string SchemaA = """{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}""";

    [Fact]
    public async Task Register_SameSchemaTwice_ReturnsSameIdAndOneVersion()
    {
        var registry = new InMemorySchemaRegistryClient();
        var first = await registry.RegisterSchemaAsync("a-value", SchemaA);
        var second = await registry.RegisterSchemaAsync("a-value", SchemaA);
        Assert.Equal(first, second);
        Assert.Equal([1], await registry.GetSubjectVersionsAsync("a-value"));
    }

    [Fact]
    public async Task Register_SameSchemaInTwoSubjects_SharesId()
    {
        var registry = new InMemorySchemaRegistryClient();
        Assert.Equal(await registry.RegisterSchemaAsync("a-value", SchemaA), await registry.RegisterSchemaAsync("b-value", SchemaA));
    }

    [Fact]
    public async Task Register_SameSchemaInTwoRegistries_GetsTheSameId()
    {
        // Separate processes sharing a broker each hold their own registry: ids must agree without talking to each other.
        var first = new InMemorySchemaRegistryClient();
        var second = new InMemorySchemaRegistryClient();
        await second.RegisterSchemaAsync("other-value", """{"type":"record","name":"B","fields":[]}""");

        Assert.Equal(await first.RegisterSchemaAsync("a-value", SchemaA), await second.RegisterSchemaAsync("a-value", SchemaA));
    }

    [Fact]
    public async Task GetSchemaById_ReturnsRegisteredText()
    {
        var registry = new InMemorySchemaRegistryClient();
        var id = await registry.RegisterSchemaAsync("a-value", SchemaA);
        var schema = await registry.GetSchemaAsync(id);
        Assert.Equal(Avro.Schema.Parse(SchemaA).ToString(), Avro.Schema.Parse(schema.SchemaString).ToString());
    }

    [Fact]
    public async Task GetSchemaById_Unknown_ThrowsNotFound()
    {
        var registry = new InMemorySchemaRegistryClient();
        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.GetSchemaAsync(42));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task GetLatestSchema_ReturnsNewestVersion()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("a-value", SchemaA);
        var v2 = await registry.RegisterSchemaAsync("a-value", """{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":0}]}""");
        var latest = await registry.GetLatestSchemaAsync("a-value");
        Assert.Equal((2, v2), (latest.Version, latest.Id));
    }

    [Fact]
    public async Task LookupSchema_NotRegisteredUnderSubject_ThrowsNotFound()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("a-value", SchemaA);
        await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.GetSchemaIdAsync("b-value", SchemaA));
    }

    [Fact]
    public async Task GetAllSubjects_ListsRegisteredSubjectsOnly()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.RegisterSchemaAsync("b-value", SchemaA);
        await registry.RegisterSchemaAsync("a-value", SchemaA);
        _ = await registry.GetSubjectVersionsAsync("never-registered");
        Assert.Equal(["a-value", "b-value"], await registry.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task Compatibility_DefaultsToBackward_AndIsSetPerSubject()
    {
        var registry = new InMemorySchemaRegistryClient();
        await registry.UpdateCompatibilityAsync(Compatibility.Full, "a-value");
        Assert.Equal(Compatibility.Backward, await registry.GetCompatibilityAsync());
        Assert.Equal(Compatibility.Full, await registry.GetCompatibilityAsync("a-value"));
    }

    [Fact]
    public void SubjectNames_FollowTopicNameStrategy()
    {
        var registry = new InMemorySchemaRegistryClient();
        Assert.Equal(("t-key", "t-value"), (registry.ConstructKeySubjectName("t"), registry.ConstructValueSubjectName("t")));
    }
}
