using Avro;

namespace StreamBilling.Kafka;

/// <summary>
/// Avro schema resolution (the spec's "Schema Resolution" rules): can data written with one schema be read with another?
/// Used by the in-memory registry to apply Confluent's compatibility levels.
/// </summary>
internal static class AvroSchemaCompatibility
{
    /// <summary>Reasons why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<string> ReadProblems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        Check(reader, writer, "$", problems, []);
        return problems;
    }

    private static void Check(Schema reader, Schema writer, string path, List<string> problems, HashSet<(string, string)> visiting)
    {
        reader = Unwrap(reader);
        writer = Unwrap(writer);

        if (writer is UnionSchema writerUnion)
        {
            // Every branch the writer may have used must be readable.
            foreach (var branch in writerUnion.Schemas)
            {
                if (reader is UnionSchema readerUnionForBranch)
                {
                    if (!readerUnionForBranch.Schemas.Any(r => ReadProblems(r, branch).Count == 0))
                    {
                        problems.Add($"{path}: writer union branch {Describe(branch)} has no matching reader branch");
                    }
                }
                else
                {
                    Check(reader, branch, path, problems, visiting);
                }
            }

            return;
        }

        if (reader is UnionSchema readerUnion)
        {
            if (!readerUnion.Schemas.Any(r => ReadProblems(r, writer).Count == 0))
            {
                problems.Add($"{path}: reader union has no branch for writer type {Describe(writer)}");
            }

            return;
        }

        if (IsPromotable(writer.Tag, reader.Tag))
        {
            return;
        }

        if (reader.Tag != writer.Tag)
        {
            problems.Add($"{path}: reader type {Describe(reader)} cannot read writer type {Describe(writer)}");
            return;
        }

        switch (reader)
        {
            case RecordSchema readerRecord:
                CheckRecord(readerRecord, (RecordSchema)writer, path, problems, visiting);
                break;
            case EnumSchema readerEnum:
                var writerEnum = (EnumSchema)writer;
                CheckName(readerEnum, writerEnum, path, problems);
                if (readerEnum.Default is null)
                {
                    foreach (var symbol in writerEnum.Symbols.Where(s => !readerEnum.Symbols.Contains(s)))
                    {
                        problems.Add($"{path}: enum symbol '{symbol}' unknown to the reader, which has no default");
                    }
                }

                break;
            case FixedSchema readerFixed:
                var writerFixed = (FixedSchema)writer;
                CheckName(readerFixed, writerFixed, path, problems);
                if (readerFixed.Size != writerFixed.Size)
                {
                    problems.Add($"{path}: fixed size {writerFixed.Size} written, {readerFixed.Size} expected");
                }

                break;
            case ArraySchema readerArray:
                Check(readerArray.ItemSchema, ((ArraySchema)writer).ItemSchema, path + "[]", problems, visiting);
                break;
            case MapSchema readerMap:
                Check(readerMap.ValueSchema, ((MapSchema)writer).ValueSchema, path + "{}", problems, visiting);
                break;
            default:
                // Same primitive type.
                break;
        }
    }

    private static void CheckRecord(RecordSchema reader, RecordSchema writer, string path, List<string> problems, HashSet<(string, string)> visiting)
    {
        CheckName(reader, writer, path, problems);

        // Recursive records: a pair already being compared is assumed compatible (its other fields are checked by the outer call).
        if (!visiting.Add((reader.Fullname, writer.Fullname)))
        {
            return;
        }

        foreach (var readerField in reader.Fields)
        {
            var writerField = FindWriterField(writer, readerField);
            if (writerField is null)
            {
                if (readerField.DefaultValue is null)
                {
                    problems.Add($"{path}.{readerField.Name}: field missing from the writer and has no default in the reader");
                }

                continue;
            }

            Check(readerField.Schema, writerField.Schema, $"{path}.{readerField.Name}", problems, visiting);
        }

        // Writer fields the reader does not know are skipped: always allowed.
        visiting.Remove((reader.Fullname, writer.Fullname));
    }

    private static Field? FindWriterField(RecordSchema writer, Field readerField)
    {
        if (writer.TryGetField(readerField.Name, out var field))
        {
            return field;
        }

        foreach (var alias in readerField.Aliases ?? [])
        {
            if (writer.TryGetField(alias, out field))
            {
                return field;
            }
        }

        return null;
    }

    private static void CheckName(NamedSchema reader, NamedSchema writer, string path, List<string> problems)
    {
        // Confluent compares unqualified names too, so a namespace move alone is tolerated (type aliases are not consulted).
        if (reader.Name != writer.Name && reader.Fullname != writer.Fullname)
        {
            problems.Add($"{path}: reader {reader.Fullname} does not match writer {writer.Fullname}");
        }
    }

    private static bool IsPromotable(Schema.Type writer, Schema.Type reader) => (writer, reader) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) => true,
        (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    // Logical types are resolved on their underlying type, as the Avro spec does.
    private static Schema Unwrap(Schema schema) => schema is LogicalSchema logical ? logical.BaseSchema : schema;

    private static string Describe(Schema schema) => Unwrap(schema) is NamedSchema named ? named.Fullname : Unwrap(schema).Tag.ToString();
}
