using Avro;
using StreamBilling.Contracts.Generator;

namespace StreamBilling.Contracts.Tests;

/// <summary>The parsed schemas/ folder, shared by the schema tests (parsing is pure, so one load serves all).</summary>
internal static class SchemaCatalog
{
    private static readonly Lazy<IReadOnlyList<LoadedSchema>> LoadedSchemas = new(() => AvroSchemaSet.Load(RepositoryPaths.Schemas));

    public static IReadOnlyList<LoadedSchema> Loaded => LoadedSchemas.Value;

    public static IEnumerable<RecordSchema> Records => Loaded.Select(l => l.Schema).OfType<RecordSchema>();

    public static RecordSchema Record(string fullName) =>
        Records.Single(r => r.Fullname == fullName);

    public static TheoryData<string> RecordNames()
    {
        var data = new TheoryData<string>();
        foreach (var record in Records)
        {
            data.Add(record.Fullname);
        }

        return data;
    }

    /// <summary>The schema without a nullable union around it.</summary>
    public static Schema NonNull(Schema schema) =>
        schema is UnionSchema union ? union.Schemas.Single(s => s.Tag != Schema.Type.Null) : schema;
}
