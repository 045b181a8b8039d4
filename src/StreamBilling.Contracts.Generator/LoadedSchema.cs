using Avro;

namespace StreamBilling.Contracts.Generator;

/// <summary>One parsed <c>.avsc</c> file and the named type it defines.</summary>
/// <param name="Path">Path of the schema file.</param>
/// <param name="Schema">The parsed type, with references to other files resolved.</param>
public sealed record LoadedSchema(string Path, NamedSchema Schema);
