using System.Text.Json;

namespace StreamBilling.Contracts.Tests;

public sealed class TopicCatalogTests
{
    [Fact]
    public void InfraTopicsJson_MatchesCode()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.TopicsJson));
        var fromFile = json.RootElement.GetProperty("topics").EnumerateArray()
            .Select(t => (
                t.GetProperty("name").GetString(),
                t.GetProperty("partitions").GetInt32(),
                t.GetProperty("cleanupPolicy").GetString(),
                t.GetProperty("key").GetString(),
                t.GetProperty("valueSchema").GetString()))
            .ToList();

        var fromCode = Topics.All
            .Select(t => ((string?)t.Name, t.Partitions, (string?)t.CleanupPolicy.ToString().ToLowerInvariant(), (string?)t.Key, t.ValueType?.FullName))
            .ToList();

        Assert.Equal(fromCode, fromFile);
    }

    [Fact]
    public void InfraTopicsJson_ConventionsMatchCode()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.TopicsJson));
        var conventions = json.RootElement.GetProperty("conventions");
        var sample = Topics.All[0];

        Assert.Equal(Topics.DeadLetterSuffix, conventions.GetProperty("deadLetterSuffix").GetString());
        Assert.Equal(Topics.LateSuffix, conventions.GetProperty("lateSuffix").GetString());
        Assert.Equal(Topics.DeadLetterOf(sample).Partitions, conventions.GetProperty("deadLetterPartitions").GetInt32());
    }

    [Fact]
    public void All_NamesAreUnique()
    {
        Assert.Equal(Topics.All.Count, Topics.All.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public void All_ShareAValueTypeOnlyForTheTwoCdnSources()
    {
        // TopicNameStrategy gives each topic its own subject, so a shared type is allowed; it is deliberate only here.
        var shared = Topics.All.GroupBy(t => t.ValueType).Where(g => g.Count() > 1).Select(g => string.Join(",", g.Select(t => t.Name).Order(StringComparer.Ordinal)));
        Assert.Equal([$"{Topics.CdnCostExplorer},{Topics.CdnTraffic}"], shared);
    }

    [Fact]
    public void All_KeyIsAStringFieldOfTheValue()
    {
        Assert.All(Topics.All.Where(t => t.ValueType is not null), t =>
        {
            Avro.Schema schema = SchemaCatalog.Record(t.ValueType!.FullName!);
            foreach (var part in t.Key.Split('.'))
            {
                schema = Assert.IsType<Avro.RecordSchema>(schema).Fields.Single(f => f.Name == part).Schema;
            }

            Assert.Equal(Avro.Schema.Type.String, schema.Tag);
        });
    }

    [Theory]
    [InlineData(Topics.InstanceLaunched, Topics.InstanceTerminated)]
    [InlineData(Topics.MediaLiveChannelStarted, Topics.MediaLiveChannelStopped)]
    [InlineData(Topics.MediaConvertJobStarted, Topics.MediaConvertJobFinished)]
    public void JoinedTopics_AreCoPartitioned(string left, string right)
    {
        var (l, r) = (Topics.All.Single(t => t.Name == left), Topics.All.Single(t => t.Name == right));

        Assert.Equal(l.Partitions, r.Partitions);
        Assert.Equal(l.Key, r.Key);
    }

    [Fact]
    public void ATopicWithoutAvroValues_NamesTheJsonSchemaOfItsValues_AndTheFileExists()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.TopicsJson));
        var jsonTopics = json.RootElement.GetProperty("topics").EnumerateArray()
            .Where(t => t.GetProperty("valueSchema").ValueKind == JsonValueKind.Null)
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("valueJsonSchema", out var schema) ? schema.GetString() : null);

        Assert.Equal(Topics.All.Where(t => t.ValueType is null).Select(t => t.Name), jsonTopics.Keys);
        Assert.All(jsonTopics, t => Assert.True(t.Value is not null && File.Exists(Path.Combine(RepositoryPaths.Root, t.Value)), $"{t.Key}: valueJsonSchema {t.Value}"));
    }

    [Fact]
    public void EveryEventSchema_HasATopic()
    {
        // Records that are only parts of other records (invoice lines, the CDN usage payload, a status change's distributions) have no topic of their own.
        string[] parts = ["StreamBilling.Events.Outputs.InvoiceLine", "StreamBilling.Events.Outputs.CdnUsagePayload", "StreamBilling.Events.Outputs.CdnDistributionRef"];
        var withTopic = Topics.All.Append(Topics.LateOf(Topics.All[0])).Where(t => t.ValueType is not null).Select(t => t.ValueType!.FullName).ToHashSet();

        var missing = SchemaCatalog.Records.Select(r => r.Fullname).Where(n => !withTopic.Contains(n) && !parts.Contains(n));

        Assert.Empty(missing);
    }

    [Fact]
    public void DeadLetterAndLate_FollowTheSuffixConvention()
    {
        var spec = Topics.All.Single(t => t.Name == Topics.CdnTraffic);

        Assert.Equal("usage.cdn.traffic.dlq", Topics.DeadLetterOf(spec).Name);
        Assert.Null(Topics.DeadLetterOf(spec).ValueType);
        Assert.Equal(spec with { Name = "usage.cdn.traffic.late", ValueType = typeof(Events.Outputs.LateRecord) }, Topics.LateOf(spec));
    }

    [Fact]
    public void DeadLetterOf_KeepsTheReplicationFactor()
    {
        var spec = new TopicSpec("t", 6) { ReplicationFactor = 3 };

        Assert.Equal(new TopicSpec("t.dlq", 1) { ReplicationFactor = 3 }, Topics.DeadLetterOf(spec));
    }
}
