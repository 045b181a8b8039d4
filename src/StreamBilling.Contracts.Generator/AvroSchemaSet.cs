using Avro;

namespace StreamBilling.Contracts.Generator;

/// <summary>Loads every <c>.avsc</c> file of a folder, resolving named types that one file references from another.</summary>
public static class AvroSchemaSet
{
    /// <summary>Parses all schema files in <paramref name="directory"/>, ordered so that each file comes after the files it references.</summary>
    /// <exception cref="SchemaParseException">A file does not parse, or references a type no file defines.</exception>
    public static IReadOnlyList<LoadedSchema> Load(string directory)
    {
        var pending = Directory.GetFiles(directory, "*.avsc")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Json: File.ReadAllText(path)))
            .ToList();
        var loaded = new List<LoadedSchema>();

        // Files may reference each other in any order; parse the ones whose references are already known,
        // and repeat until nothing is left or a pass makes no progress.
        while (pending.Count > 0)
        {
            var errors = new List<string>();
            var progressed = false;
            foreach (var file in pending.ToList())
            {
                var names = new SchemaNames();
                foreach (var known in loaded)
                {
                    AddNamed(names, known.Schema);
                }

                try
                {
                    var schema = Schema.Parse(file.Json, names, null);
                    if (schema is not NamedSchema named)
                    {
                        throw new SchemaParseException($"{file.Path}: a schema file must hold one named type (record, enum or fixed).");
                    }

                    var expectedFile = named.Fullname + ".avsc";
                    if (!string.Equals(Path.GetFileName(file.Path), expectedFile, StringComparison.Ordinal))
                    {
                        throw new SchemaParseException($"{file.Path}: the file must be named after the type's full name, {expectedFile}.");
                    }

                    loaded.Add(new LoadedSchema(file.Path, named));
                    pending.Remove(file);
                    progressed = true;
                }
                catch (SchemaParseException ex) when (ex.Message.Contains("Undefined name", StringComparison.Ordinal)
                                                      || ex.Message.Contains("Unknown", StringComparison.Ordinal))
                {
                    errors.Add($"{file.Path}: {ex.Message}");
                }
            }

            if (!progressed)
            {
                throw new SchemaParseException("Unresolvable schema references:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
            }
        }

        return loaded;
    }

    // Registers a named schema and every named type nested in it, so later files can refer to them.
    private static void AddNamed(SchemaNames names, Schema schema)
    {
        switch (schema)
        {
            case NamedSchema named when names.Contains(named.SchemaName):
                return;
            case RecordSchema record:
                names.Add(record);
                foreach (var field in record.Fields)
                {
                    AddNamed(names, field.Schema);
                }

                break;
            case NamedSchema named:
                names.Add(named);
                break;
            case ArraySchema array:
                AddNamed(names, array.ItemSchema);
                break;
            case MapSchema map:
                AddNamed(names, map.ValueSchema);
                break;
            case UnionSchema union:
                foreach (var branch in union.Schemas)
                {
                    AddNamed(names, branch);
                }

                break;
            case LogicalSchema logical:
                AddNamed(names, logical.BaseSchema);
                break;
            default:
                break;
        }
    }
}
