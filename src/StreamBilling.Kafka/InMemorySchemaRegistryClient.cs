using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Confluent.SchemaRegistry;

namespace StreamBilling.Kafka;

/// <summary>
/// An in-process Schema Registry for embedded mode and tests (Confluent.SchemaRegistry has no <c>mock://</c> scope):
/// per-subject versions, registry-wide ids (the same schema text gets the same id in every subject), and Confluent's
/// compatibility levels checked with Avro resolution rules. BACKWARD (the default) means the new schema can read data
/// written with the previous one, so adding a field needs a default while removing a field is allowed; FORWARD is the
/// reverse (removing a field without a default fails); FULL is both; the transitive levels check every earlier version.
/// Ids are derived from the schema's canonical text, not counted: separate processes (a <c>streambilling broker</c> shared by
/// a simulator and a host) that register the same schemas agree on their ids, so one reads what the other wrote.
/// </summary>
public sealed class InMemorySchemaRegistryClient : ISchemaRegistryClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<RegisteredSchema>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _idsByCanonicalText = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Schema> _schemasById = [];
    private readonly Dictionary<string, Compatibility> _subjectCompatibility = new(StringComparer.Ordinal);
    private Compatibility _globalCompatibility = Compatibility.Backward;

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> Config => [];

    /// <inheritdoc />
    public IAuthenticationHeaderValueProvider AuthHeaderProvider => null!;

    /// <inheritdoc />
    public IWebProxy Proxy => null!;

    /// <inheritdoc />
    public int MaxCachedSchemas => int.MaxValue;

    /// <inheritdoc />
    public Task<int> RegisterSchemaAsync(string subject, string avroSchema, bool normalize = false) =>
        RegisterSchemaAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    /// <inheritdoc />
    public async Task<int> RegisterSchemaAsync(string subject, Schema schema, bool normalize = false) =>
        (await RegisterSchemaWithResponseAsync(subject, schema, normalize).ConfigureAwait(false)).Id;

    /// <inheritdoc />
    public Task<RegisteredSchema> RegisterSchemaWithResponseAsync(string subject, Schema schema, bool normalize = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(schema);
        var canonical = Canonical(schema);
        lock (_gate)
        {
            var versions = Versions(subject);
            var existing = versions.FirstOrDefault(v => Canonical(v.Schema) == canonical);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var problems = CompatibilityProblems(subject, versions, schema);
            if (problems.Count > 0)
            {
                throw new SchemaRegistryException(
                    $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\" ({LevelOf(subject)}): {string.Join("; ", problems)}",
                    HttpStatusCode.Conflict,
                    409);
            }

            if (!_idsByCanonicalText.TryGetValue(canonical, out var id))
            {
                id = IdOf(canonical);
                if (_schemasById.ContainsKey(id))
                {
                    // A 31-bit hash collision among a few dozen schemas is vanishingly unlikely; if it happens, say so rather than mix them up.
                    throw new InvalidOperationException($"Schema id {id} of subject \"{subject}\" collides with another schema's id.");
                }

                _idsByCanonicalText[canonical] = id;
                _schemasById[id] = new Schema(schema.SchemaString, schema.References ?? [], schema.SchemaType);
            }

            var version = versions.Count == 0 ? 1 : versions[^1].Version + 1;
            var registered = new RegisteredSchema(subject, version, id, schema.SchemaString, schema.SchemaType, schema.References ?? []);
            versions.Add(registered);
            return Task.FromResult(registered);
        }
    }

    /// <inheritdoc />
    public Task<int> GetSchemaIdAsync(string subject, string avroSchema, bool normalize = false) =>
        GetSchemaIdAsync(subject, new Schema(avroSchema, SchemaType.Avro), normalize);

    /// <inheritdoc />
    public async Task<int> GetSchemaIdAsync(string subject, Schema schema, bool normalize = false) =>
        (await LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true, normalize).ConfigureAwait(false)).Id;

    /// <inheritdoc />
    public Task<RegisteredSchema> LookupSchemaAsync(string subject, Schema schema, bool ignoreDeletedSchemas, bool normalize = false)
    {
        var canonical = Canonical(schema);
        lock (_gate)
        {
            return Task.FromResult(
                Versions(subject).FirstOrDefault(v => Canonical(v.Schema) == canonical)
                ?? throw NotFound($"Schema not found under subject \"{subject}\"", 40403));
        }
    }

    /// <inheritdoc />
    public Task<Schema> GetSchemaAsync(int id, string format = null!)
    {
        lock (_gate)
        {
            return Task.FromResult(_schemasById.TryGetValue(id, out var schema) ? schema : throw NotFound($"Schema {id} not found", 40403));
        }
    }

    /// <inheritdoc />
    public Task<Schema> GetSchemaBySubjectAndIdAsync(string subject, int id, string format = null!) => GetSchemaAsync(id, format);

    /// <inheritdoc />
    public Task<Schema> GetSchemaByGuidAsync(string guid, string format = null!) =>
        throw new NotSupportedException("Schema GUIDs are not supported by the in-memory registry.");

    /// <inheritdoc />
    public Task<RegisteredSchema> GetRegisteredSchemaAsync(string subject, int version, bool ignoreDeletedSchemas = true)
    {
        lock (_gate)
        {
            var versions = Versions(subject);
            var found = version == -1 ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version == version);
            return Task.FromResult(found ?? throw NotFound($"Version {version} not found for subject \"{subject}\"", 40402));
        }
    }

    /// <inheritdoc />
    public async Task<string> GetSchemaAsync(string subject, int version) =>
        (await GetRegisteredSchemaAsync(subject, version).ConfigureAwait(false)).SchemaString;

    /// <inheritdoc />
    public Task<RegisteredSchema> GetLatestSchemaAsync(string subject)
    {
        lock (_gate)
        {
            return Task.FromResult(Versions(subject).LastOrDefault() ?? throw NotFound($"Subject \"{subject}\" not found", 40401));
        }
    }

    /// <inheritdoc />
    public Task<RegisteredSchema> GetLatestWithMetadataAsync(string subject, IDictionary<string, string> metadata, bool ignoreDeletedSchemas) =>
        throw new NotSupportedException("Schema metadata is not supported by the in-memory registry.");

    /// <inheritdoc />
    public Task<List<string>> GetAllSubjectsAsync()
    {
        lock (_gate)
        {
            return Task.FromResult(_subjects.Where(s => s.Value.Count > 0).Select(s => s.Key).Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <inheritdoc />
    public Task<List<int>> GetSubjectVersionsAsync(string subject)
    {
        lock (_gate)
        {
            return Task.FromResult(Versions(subject).Select(v => v.Version).ToList());
        }
    }

    /// <inheritdoc />
    public Task<bool> IsCompatibleAsync(string subject, string avroSchema) =>
        IsCompatibleAsync(subject, new Schema(avroSchema, SchemaType.Avro));

    /// <inheritdoc />
    public Task<bool> IsCompatibleAsync(string subject, Schema schema)
    {
        lock (_gate)
        {
            return Task.FromResult(CompatibilityProblems(subject, Versions(subject), schema).Count == 0);
        }
    }

    /// <summary>Why <paramref name="schema"/> would be rejected under <paramref name="subject"/>'s compatibility level; empty if accepted.</summary>
    public IReadOnlyList<string> GetCompatibilityProblems(string subject, Schema schema)
    {
        lock (_gate)
        {
            return CompatibilityProblems(subject, Versions(subject), schema);
        }
    }

    /// <inheritdoc />
    public string ConstructKeySubjectName(string topic, string recordType = null!) => topic + "-key";

    /// <inheritdoc />
    public string ConstructValueSubjectName(string topic, string recordType = null!) => topic + "-value";

    /// <inheritdoc />
    public Task<Compatibility> GetCompatibilityAsync(string subject = null!)
    {
        lock (_gate)
        {
            return Task.FromResult(subject is null ? _globalCompatibility : LevelOf(subject));
        }
    }

    /// <inheritdoc />
    public Task<Compatibility> UpdateCompatibilityAsync(Compatibility compatibility, string subject = null!)
    {
        lock (_gate)
        {
            if (subject is null)
            {
                _globalCompatibility = compatibility;
            }
            else
            {
                _subjectCompatibility[subject] = compatibility;
            }

            return Task.FromResult(compatibility);
        }
    }

    /// <inheritdoc />
    public void ClearLatestCaches()
    {
        // Nothing is cached: the store itself is the source of truth.
    }

    /// <inheritdoc />
    public void ClearCaches()
    {
        // Nothing is cached: the store itself is the source of truth.
    }

    /// <inheritdoc />
    public Task<List<Association>> GetAssociationsByResourceNameAsync(string resourceName, string resourceNamespace, string resourceType, List<string> associationTypes, string lifecycle, int offset, int limit) =>
        Task.FromResult(new List<Association>()); // None can be created here, so a lookup finds none (serdes then fall back to TopicNameStrategy).

    /// <inheritdoc />
    public Task<AssociationResponse> CreateAssociationAsync(AssociationCreateOrUpdateRequest request) =>
        throw new NotSupportedException("Associations are not supported by the in-memory registry.");

    /// <inheritdoc />
    public Task DeleteAssociationsAsync(string resourceId, string resourceType, List<string> associationTypes, bool cascadeLifecycle) =>
        throw new NotSupportedException("Associations are not supported by the in-memory registry.");

    /// <inheritdoc />
    public void Dispose()
    {
        // No resources: the registry is plain memory.
    }

    private static string Canonical(Schema schema) =>
        schema.SchemaType == SchemaType.Avro ? Avro.Schema.Parse(schema.SchemaString).ToString() : schema.SchemaString;

    /// <summary>A positive id from the SHA-256 of the canonical schema text: the same in every process.</summary>
    private static int IdOf(string canonical)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        var id = BinaryPrimitives.ReadInt32BigEndian(hash) & int.MaxValue;
        return id == 0 ? 1 : id;
    }

    private static SchemaRegistryException NotFound(string message, int errorCode) => new(message, HttpStatusCode.NotFound, errorCode);

    private List<RegisteredSchema> Versions(string subject)
    {
        if (!_subjects.TryGetValue(subject, out var versions))
        {
            versions = [];
            _subjects[subject] = versions;
        }

        return versions;
    }

    private Compatibility LevelOf(string subject) =>
        _subjectCompatibility.TryGetValue(subject, out var level) ? level : _globalCompatibility;

    private List<string> CompatibilityProblems(string subject, List<RegisteredSchema> versions, Schema candidate)
    {
        if (candidate.SchemaType != SchemaType.Avro)
        {
            throw new NotSupportedException("The in-memory registry checks Avro schemas only.");
        }

        var level = LevelOf(subject);
        if (level == Compatibility.None || versions.Count == 0)
        {
            return [];
        }

        var transitive = level is Compatibility.BackwardTransitive or Compatibility.ForwardTransitive or Compatibility.FullTransitive;
        var backward = level is Compatibility.Backward or Compatibility.BackwardTransitive or Compatibility.Full or Compatibility.FullTransitive;
        var forward = level is Compatibility.Forward or Compatibility.ForwardTransitive or Compatibility.Full or Compatibility.FullTransitive;
        var newSchema = Avro.Schema.Parse(candidate.SchemaString);
        var problems = new List<string>();
        foreach (var earlier in transitive ? versions.AsEnumerable().Reverse() : [versions[^1]])
        {
            var oldSchema = Avro.Schema.Parse(earlier.SchemaString);
            if (backward)
            {
                // BACKWARD: consumers on the new schema read data written with the old one.
                problems.AddRange(AvroSchemaCompatibility.ReadProblems(newSchema, oldSchema).Select(p => $"new schema reading version {earlier.Version}: {p}"));
            }

            if (forward)
            {
                // FORWARD: consumers still on the old schema read data written with the new one.
                problems.AddRange(AvroSchemaCompatibility.ReadProblems(oldSchema, newSchema).Select(p => $"version {earlier.Version} reading new schema: {p}"));
            }
        }

        return problems;
    }
}
