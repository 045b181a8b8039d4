using Avro;

namespace StreamBilling.Contracts.Tests;

public sealed class SchemaRulesTests
{
    public static TheoryData<string> RecordNames() => SchemaCatalog.RecordNames();

    public static TheoryData<string> EventTopics()
    {
        var data = new TheoryData<string>();
        foreach (var topic in Topics.All.Where(t => t.ValueType is not null))
        {
            data.Add(topic.Name);
        }

        return data;
    }

    [Fact]
    public void Load_EverySchemaFile_ParsesToOneNamedType()
    {
        var files = Directory.GetFiles(RepositoryPaths.Schemas, "*.avsc").Select(f => Path.GetFileName(f)!).Order().ToList();

        var loaded = SchemaCatalog.Loaded.Select(l => Path.GetFileName(l.Path)).Order().ToList();

        Assert.NotEmpty(files);
        Assert.Equal(files, loaded);
    }

    [Fact]
    public void Load_EverySchemaFile_IsNamedAfterItsFullName()
    {
        Assert.All(SchemaCatalog.Loaded, l => Assert.Equal(l.Schema.Fullname + ".avsc", Path.GetFileName(l.Path)));
    }

    [Fact]
    public void Load_EveryNamespace_IsUnderStreamBillingEvents()
    {
        Assert.All(SchemaCatalog.Loaded, l => Assert.StartsWith("StreamBilling.Events.", l.Schema.Fullname, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EveryNamedType_HasADoc()
    {
        Assert.All(SchemaCatalog.Loaded, l => Assert.False(string.IsNullOrWhiteSpace(l.Schema.Documentation), l.Schema.Fullname));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Record_EveryField_HasADoc(string record)
    {
        Assert.All(SchemaCatalog.Record(record).Fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Documentation), $"{record}.{f.Name}"));
    }

    [Theory]
    [MemberData(nameof(EventTopics))]
    public void TopicValue_HasStringEventIdAndSource(string topic)
    {
        var spec = Topics.All.Single(t => t.Name == topic);
        var record = SchemaCatalog.Record(spec.ValueType!.FullName!);

        Assert.Equal(Schema.Type.String, record.Fields.Single(f => f.Name == "eventId").Schema.Tag);
        Assert.Equal(Schema.Type.String, record.Fields.Single(f => f.Name == "source").Schema.Tag);
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Record_TimeFields_AreTimestampMillis(string record)
    {
        var timeFields = SchemaCatalog.Record(record).Fields.Where(f => LooksLikeTime(f.Name)).ToList();

        Assert.All(timeFields, f => Assert.Equal("timestamp-millis", LogicalTypeOf(f.Schema)));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Record_LongFields_AreEitherCountsOrTimestamps(string record)
    {
        // A plain long must be a count (bytes, requests, seconds...), never a time in disguise.
        var longs = SchemaCatalog.Record(record).Fields.Where(f => SchemaCatalog.NonNull(f.Schema).Tag == Schema.Type.Long);

        Assert.All(longs, f => Assert.True(
            LogicalTypeOf(f.Schema) == "timestamp-millis" || !LooksLikeTime(f.Name),
            $"{record}.{f.Name} is a time without timestamp-millis"));
    }

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Record_MoneyFields_AreDecimalsWithPrecisionAndScale(string record)
    {
        var money = SchemaCatalog.Record(record).Fields.Where(f => LooksLikeMoney(f.Name)).ToList();

        Assert.All(money, f =>
        {
            var schema = Assert.IsType<LogicalSchema>(SchemaCatalog.NonNull(f.Schema));
            Assert.Equal("decimal", schema.LogicalTypeName);
            Assert.Equal(Schema.Type.Bytes, schema.BaseSchema.Tag);
            Assert.NotNull(schema.GetProperty("precision"));
            Assert.NotNull(schema.GetProperty("scale"));
        });
    }

    [Fact]
    public void Records_HaveMoneyFields_SoTheMoneyRuleIsExercised()
    {
        var moneyFields = SchemaCatalog.Records.SelectMany(r => r.Fields).Count(f => LooksLikeMoney(f.Name));

        Assert.True(moneyFields >= 10, $"only {moneyFields} money fields found");
    }

    [Fact]
    public void Records_NoFloatingPointFields()
    {
        var floats = SchemaCatalog.Records.SelectMany(r => r.Fields.Select(f => (r, f)))
            .Where(x => SchemaCatalog.NonNull(x.f.Schema).Tag is Schema.Type.Float or Schema.Type.Double)
            .Select(x => $"{x.r.Fullname}.{x.f.Name}");

        Assert.Empty(floats);
    }

    [Fact]
    public void CdnTraffic_DataSource_IsCloudWatchOrCostExplorer()
    {
        var field = SchemaCatalog.Record("StreamBilling.Events.Cdn.CdnTraffic").Fields.Single(f => f.Name == "dataSource");

        var symbols = Assert.IsType<EnumSchema>(field.Schema).Symbols;

        Assert.Equal(["CloudWatch", "CostExplorer", "Unknown"], symbols);
    }

    [Fact]
    public void PurchaseOption_HasOnDemandSpotReserved()
    {
        var schema = Assert.IsType<EnumSchema>(SchemaCatalog.Loaded.Single(l => l.Schema.Name == "PurchaseOption").Schema);

        Assert.Equal(["OnDemand", "Spot", "Reserved", "Unknown"], schema.Symbols);
    }

    [Fact]
    public void EveryEnum_EndsWithTheDefaultSymbolUnknown_SoAnOldReaderTakesANewSymbol()
    {
        var enums = SchemaCatalog.Loaded.Select(l => l.Schema).OfType<EnumSchema>().ToList();

        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.Equal(("Unknown", "Unknown"), (e.Default, e.Symbols[^1])));
    }

    private static bool LooksLikeTime(string name) =>
        name.EndsWith("Time", StringComparison.Ordinal) || name.EndsWith("At", StringComparison.Ordinal)
        || name.EndsWith("Start", StringComparison.Ordinal) || name.EndsWith("End", StringComparison.Ordinal)
        || name.EndsWith("Period", StringComparison.Ordinal);

    private static bool LooksLikeMoney(string name) =>
        name is "rate" or "cost" or "amount" or "discount"
        || name.EndsWith("Amount", StringComparison.Ordinal) || name.EndsWith("Discount", StringComparison.Ordinal);

    private static string? LogicalTypeOf(Schema schema) =>
        SchemaCatalog.NonNull(schema) is LogicalSchema logical ? logical.LogicalTypeName : null;
}
