using System.Globalization;
using System.Text;
using Avro;

namespace StreamBilling.Contracts.Generator;

/// <summary>
/// Emits, per record schema, a partial class next to Apache.Avro's generated one that implements
/// <c>StreamBilling.Contracts.Serialization.IAvroBinaryRecord</c>: straight-line C# that writes and reads the record's Avro
/// binary encoding field by field, in schema order, with the property names and types Avro's CodeGen gives the class.
/// </summary>
/// <remarks>
/// Covered: records (nested and recursive too), boolean, int, long, float, double, string, bytes, enums, arrays, maps,
/// unions of null and one type (either order), decimal on bytes (<c>AvroDecimal</c>), timestamp-millis and timestamp-micros
/// (<c>DateTime</c>). Defaults need no code: they only matter when resolving another writer schema, which stays with
/// Apache.Avro. A record using anything else (fixed, other logical types, other unions: CodeGen types those as object)
/// gets no generated code and keeps
/// Apache.Avro's path; <see cref="UnsupportedReason"/> says why.
/// </remarks>
public static class AvroBinaryCodeEmitter
{
    private const string Writer = "global::StreamBilling.Contracts.Serialization.AvroBinaryWriter";
    private const string Reader = "global::StreamBilling.Contracts.Serialization.AvroBinaryReader";
    private const string RecordInterface = "global::StreamBilling.Contracts.Serialization.IAvroBinaryRecord";
    private const string WriteMethod = "WriteAvroBinary";
    private const string ReadMethod = "ReadAvroBinary";
    private const string RecordText = "global::StreamBilling.Contracts.Serialization.AvroRecordText";

    /// <summary>Every record schema in <paramref name="schemas"/> and nested in them, once each, in order of first appearance.</summary>
    public static IReadOnlyList<RecordSchema> Records(IEnumerable<Schema> schemas)
    {
        var found = new List<RecordSchema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schema in schemas)
        {
            Collect(schema, found, seen);
        }

        return found;
    }

    /// <summary>Why no code can be generated for <paramref name="record"/>, or <see langword="null"/> when it can.</summary>
    public static string? UnsupportedReason(RecordSchema record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UnsupportedPart(record, record.Fullname, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>The C# source of the partial class holding <paramref name="record"/>'s generated Avro binary code.</summary>
    /// <exception cref="NotSupportedException">The record uses a construct the generator does not cover.</exception>
    public static string Emit(RecordSchema record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (UnsupportedReason(record) is { } reason)
        {
            throw new NotSupportedException(reason);
        }

        var className = Mangle(record.Name);
        var code = new CodeBuilder();
        var hasNamespace = !string.IsNullOrEmpty(record.Namespace);
        if (hasNamespace)
        {
            code.Line("namespace " + Mangle(record.Namespace));
            code.Open();
        }

        code.Line($"public partial class {className} : {RecordInterface}<{className}>");
        code.Open();

        code.Line($"/// <summary>Writes the Avro binary encoding of <paramref name=\"record\"/> (schema {record.Fullname}).</summary>");
        code.Line($"public static void {WriteMethod}({className} record, {Writer} writer)");
        code.Open();
        foreach (var field in record.Fields)
        {
            EmitWrite(code, field.Schema, "record." + Mangle(field.Name), record.Fullname + "." + field.Name);
        }

        code.Close();
        code.Line();
        code.Line($"/// <summary>Reads one record written with schema {record.Fullname}.</summary>");
        code.Line($"public static {className} {ReadMethod}(ref {Reader} reader)");
        code.Open();
        code.Line($"var result = new {className}();");
        foreach (var field in record.Fields)
        {
            EmitRead(code, field.Schema, "result." + Mangle(field.Name));
        }

        code.Line("return result;");
        code.Close();
        code.Line();
        code.Line("/// <summary>The field values, for logs and test failure messages (the schema is left out).</summary>");
        code.Line("public override string ToString()");
        code.Open();
        code.Line($"var text = new {RecordText}(\"{className}\");");
        foreach (var field in record.Fields)
        {
            code.Line($"text.Add(\"{field.Name}\", this.{Mangle(field.Name)});");
        }

        code.Line("return text.ToString();");
        code.Close();
        code.Close();
        if (hasNamespace)
        {
            code.Close();
        }

        return code.ToString();
    }

    private static void Collect(Schema schema, List<RecordSchema> found, HashSet<string> seen)
    {
        switch (schema)
        {
            case RecordSchema record:
                if (seen.Add(record.Fullname))
                {
                    found.Add(record);
                    foreach (var field in record.Fields)
                    {
                        Collect(field.Schema, found, seen);
                    }
                }

                break;
            case ArraySchema array:
                Collect(array.ItemSchema, found, seen);
                break;
            case MapSchema map:
                Collect(map.ValueSchema, found, seen);
                break;
            case UnionSchema union:
                foreach (var branch in union.Schemas)
                {
                    Collect(branch, found, seen);
                }

                break;
            default:
                break;
        }
    }

    private static string? UnsupportedPart(Schema schema, string path, HashSet<string> visiting)
    {
        switch (schema)
        {
            case RecordSchema record:
                // A record already being checked is assumed fine (recursive types); its other fields are checked where it started.
                if (!visiting.Add(record.Fullname))
                {
                    return null;
                }

                foreach (var field in record.Fields)
                {
                    var name = Mangle(field.Name);
                    if (name is WriteMethod or ReadMethod)
                    {
                        return $"{record.Fullname}.{field.Name}: the property would clash with the generated {name} method";
                    }

                    if (UnsupportedPart(field.Schema, record.Fullname + "." + field.Name, visiting) is { } reason)
                    {
                        return reason;
                    }
                }

                return null;
            case EnumSchema:
                return null;
            case ArraySchema array:
                return UnsupportedPart(array.ItemSchema, path + "[]", visiting);
            case MapSchema map:
                return UnsupportedPart(map.ValueSchema, path + "{}", visiting);
            case UnionSchema union:
                return UnionShape(union) is { } shape
                    ? UnsupportedPart(shape.Value, path, visiting)
                    : $"{path}: only unions of null and one type are generated ({union})";
            case LogicalSchema logical:
                return LogicalKind(logical) is null
                    ? $"{path}: logical type {logical.LogicalTypeName} on {logical.BaseSchema.Tag} is not generated"
                    : null;
            case PrimitiveSchema primitive:
                return primitive.Tag is Schema.Type.Null ? $"{path}: a null-only type is not generated" : null;
            default:
                return $"{path}: {schema.Tag} is not generated";
        }
    }

    private static void EmitWrite(CodeBuilder code, Schema schema, string value, string path, bool checkedNotNull = false)
    {
        // A value that must not be null, with the error naming the field; a union's present branch is known not to be null.
        var notNull = checkedNotNull ? value : $"{value} ?? throw {Writer}.NullValue(\"{path}\")";
        switch (schema)
        {
            case RecordSchema record:
                code.Line($"{TypeName(record)}.{WriteMethod}({notNull}, writer);");
                break;
            case EnumSchema enumSchema:
                code.Line(enumSchema.Default is { } defaultSymbol
                    ? $"writer.WriteKnownEnum((int){value}, {enumSchema.Symbols.Count}, {enumSchema.Ordinal(defaultSymbol)}, \"{enumSchema.Fullname}\");"
                    : $"writer.WriteEnum((int){value}, {enumSchema.Symbols.Count});");
                break;
            case ArraySchema array:
                {
                    var (items, i) = (code.Local("items"), code.Local("i"));
                    code.Line($"var {items} = {notNull};");
                    code.Line($"writer.WriteArrayStart({items}.Count);");
                    code.Line($"for (var {i} = 0; {i} < {items}.Count; {i}++)");
                    code.Open();
                    EmitWrite(code, array.ItemSchema, $"{items}[{i}]", path + "[]");
                    code.Close();
                    code.Line("writer.WriteArrayEnd();");
                    break;
                }

            case MapSchema map:
                {
                    var (entries, entry) = (code.Local("entries"), code.Local("entry"));
                    code.Line($"var {entries} = {notNull};");
                    code.Line($"writer.WriteMapStart({entries}.Count);");
                    code.Line($"foreach (var {entry} in {entries})");
                    code.Open();
                    code.Line($"writer.WriteString({entry}.Key);");
                    EmitWrite(code, map.ValueSchema, $"{entry}.Value", path + "{}");
                    code.Close();
                    code.Line("writer.WriteMapEnd();");
                    break;
                }

            case UnionSchema union:
                {
                    var (valueBranch, nullBranch, branchSchema) = UnionShape(union)!.Value;

                    // `is { } x` unwraps Nullable<T> and tests references alike, matching the class's property type either way.
                    var present = code.Local("present");
                    code.Line($"if ({value} is {{ }} {present})");
                    code.Open();
                    code.Line($"writer.WriteUnionBranch({valueBranch});");
                    EmitWrite(code, branchSchema, present, path, checkedNotNull: true);
                    code.Close();
                    code.Line("else");
                    code.Open();
                    code.Line($"writer.WriteUnionBranch({nullBranch});");
                    code.Close();
                    break;
                }

            case LogicalSchema logical:
                code.Line(LogicalKind(logical) switch
                {
                    LogicalKindOf.TimestampMillis => $"writer.WriteTimestampMillis({value});",
                    LogicalKindOf.TimestampMicros => $"writer.WriteTimestampMicros({value});",
                    LogicalKindOf.Decimal => $"writer.WriteDecimal({value}, {Scale(logical)});",
                    _ => throw new NotSupportedException(path),
                });
                break;
            case PrimitiveSchema primitive:
                code.Line(primitive.Tag switch
                {
                    Schema.Type.Boolean => $"writer.WriteBoolean({value});",
                    Schema.Type.Int => $"writer.WriteInt({value});",
                    Schema.Type.Long => $"writer.WriteLong({value});",
                    Schema.Type.Float => $"writer.WriteFloat({value});",
                    Schema.Type.Double => $"writer.WriteDouble({value});",
                    Schema.Type.String => $"writer.WriteString({notNull});",
                    Schema.Type.Bytes => $"writer.WriteBytes({notNull});",
                    _ => throw new NotSupportedException(path),
                });
                break;
            default:
                throw new NotSupportedException(path);
        }
    }

    private static void EmitRead(CodeBuilder code, Schema schema, string target)
    {
        switch (schema)
        {
            case ArraySchema array:
                {
                    var (items, count, i, item) = (code.Local("items"), code.Local("count"), code.Local("i"), code.Local("item"));
                    var itemType = TypeName(array.ItemSchema);
                    code.Line($"var {items} = new global::System.Collections.Generic.List<{itemType}>();");
                    code.Line($"for (var {count} = reader.ReadBlockCount(); {count} != 0; {count} = reader.ReadBlockCount())");
                    code.Open();
                    code.Line($"for (var {i} = 0L; {i} < {count}; {i}++)");
                    code.Open();
                    code.Line($"{itemType} {item};");
                    EmitRead(code, array.ItemSchema, item);
                    code.Line($"{items}.Add({item});");
                    code.Close();
                    code.Close();
                    code.Line($"{target} = {items};");
                    break;
                }

            case MapSchema map:
                {
                    var (entries, count, i, key, entryValue) = (code.Local("entries"), code.Local("count"), code.Local("i"), code.Local("key"), code.Local("value"));
                    var valueType = TypeName(map.ValueSchema);
                    code.Line($"var {entries} = new global::System.Collections.Generic.Dictionary<string, {valueType}>();");
                    code.Line($"for (var {count} = reader.ReadBlockCount(); {count} != 0; {count} = reader.ReadBlockCount())");
                    code.Open();
                    code.Line($"for (var {i} = 0L; {i} < {count}; {i}++)");
                    code.Open();
                    code.Line($"var {key} = reader.ReadString();");
                    code.Line($"{valueType} {entryValue};");
                    EmitRead(code, map.ValueSchema, entryValue);

                    // A key given twice keeps the last value, as Apache.Avro's reader does.
                    code.Line($"{entries}[{key}] = {entryValue};");
                    code.Close();
                    code.Close();
                    code.Line($"{target} = {entries};");
                    break;
                }

            case UnionSchema union:
                {
                    var (_, nullBranch, branchSchema) = UnionShape(union)!.Value;
                    code.Line($"if (reader.ReadUnionBranch({union.Count}) == {nullBranch})");
                    code.Open();
                    code.Line($"{target} = null;");
                    code.Close();
                    code.Line("else");
                    code.Open();
                    EmitRead(code, branchSchema, target);
                    code.Close();
                    break;
                }

            default:
                code.Line($"{target} = {ReadExpression(schema)};");
                break;
        }
    }

    private static string ReadExpression(Schema schema) => schema switch
    {
        RecordSchema record => $"{TypeName(record)}.{ReadMethod}(ref reader)",
        EnumSchema { Default: { } defaultSymbol } enumSchema => $"({TypeName(enumSchema)})reader.ReadKnownEnum({enumSchema.Symbols.Count}, {enumSchema.Ordinal(defaultSymbol)}, \"{enumSchema.Fullname}\")",
        EnumSchema enumSchema => $"({TypeName(enumSchema)})reader.ReadEnum({enumSchema.Symbols.Count})",
        LogicalSchema logical => LogicalKind(logical) switch
        {
            LogicalKindOf.TimestampMillis => "reader.ReadTimestampMillis()",
            LogicalKindOf.TimestampMicros => "reader.ReadTimestampMicros()",
            LogicalKindOf.Decimal => $"reader.ReadDecimal({Scale(logical)})",
            _ => throw new NotSupportedException(logical.ToString()),
        },
        PrimitiveSchema { Tag: Schema.Type.Boolean } => "reader.ReadBoolean()",
        PrimitiveSchema { Tag: Schema.Type.Int } => "reader.ReadInt()",
        PrimitiveSchema { Tag: Schema.Type.Long } => "reader.ReadLong()",
        PrimitiveSchema { Tag: Schema.Type.Float } => "reader.ReadFloat()",
        PrimitiveSchema { Tag: Schema.Type.Double } => "reader.ReadDouble()",
        PrimitiveSchema { Tag: Schema.Type.String } => "reader.ReadString()",
        PrimitiveSchema { Tag: Schema.Type.Bytes } => "reader.ReadBytes()",
        _ => throw new NotSupportedException(schema.ToString()),
    };

    /// <summary>The C# type Avro's CodeGen gives a value of <paramref name="schema"/>.</summary>
    private static string TypeName(Schema schema) => schema switch
    {
        RecordSchema or EnumSchema => "global::" + Mangle(((NamedSchema)schema).Fullname),
        ArraySchema array => $"global::System.Collections.Generic.IList<{TypeName(array.ItemSchema)}>",
        MapSchema map => $"global::System.Collections.Generic.IDictionary<string, {TypeName(map.ValueSchema)}>",
        UnionSchema union => UnionTypeName(UnionShape(union)!.Value),
        LogicalSchema logical => LogicalKind(logical) is LogicalKindOf.Decimal ? "global::Avro.AvroDecimal" : "global::System.DateTime",
        PrimitiveSchema primitive => primitive.Tag switch
        {
            Schema.Type.Boolean => "bool",
            Schema.Type.Int => "int",
            Schema.Type.Long => "long",
            Schema.Type.Float => "float",
            Schema.Type.Double => "double",
            Schema.Type.String => "string",
            Schema.Type.Bytes => "byte[]",
            _ => throw new NotSupportedException(schema.ToString()),
        },
        _ => throw new NotSupportedException(schema.ToString()),
    };

    // CodeGen makes a nullable union of a value type Nullable<T>, and of a reference type the type itself.
    private static string UnionTypeName((int ValueBranch, int NullBranch, Schema Value) shape) =>
        IsValueType(shape.Value) ? TypeName(shape.Value) + "?" : TypeName(shape.Value);

    private static bool IsValueType(Schema schema) =>
        schema is EnumSchema or LogicalSchema
        || schema is PrimitiveSchema { Tag: Schema.Type.Boolean or Schema.Type.Int or Schema.Type.Long or Schema.Type.Float or Schema.Type.Double };

    /// <summary>For a union of null and one type: the value's branch, the null branch and the value's schema.</summary>
    private static (int ValueBranch, int NullBranch, Schema Value)? UnionShape(UnionSchema union)
    {
        var branches = union.Schemas;
        return branches.Count switch
        {
            2 when branches[0].Tag is Schema.Type.Null && branches[1].Tag is not Schema.Type.Null => (1, 0, branches[1]),
            2 when branches[1].Tag is Schema.Type.Null && branches[0].Tag is not Schema.Type.Null => (0, 1, branches[0]),
            _ => null,
        };
    }

    private enum LogicalKindOf
    {
        TimestampMillis,
        TimestampMicros,
        Decimal,
    }

    private static LogicalKindOf? LogicalKind(LogicalSchema logical) => (logical.LogicalTypeName, logical.BaseSchema.Tag) switch
    {
        ("timestamp-millis", Schema.Type.Long) => LogicalKindOf.TimestampMillis,
        ("timestamp-micros", Schema.Type.Long) => LogicalKindOf.TimestampMicros,
        ("decimal", Schema.Type.Bytes) => LogicalKindOf.Decimal,
        _ => null,
    };

    // Apache.Avro reads a missing scale as 0.
    private static int Scale(LogicalSchema logical) =>
        logical.GetProperty("scale") is { Length: > 0 } scale ? int.Parse(scale, CultureInfo.InvariantCulture) : 0;

    private static string Mangle(string name) => CodeGenUtil.Instance.Mangle(name);

    /// <summary>Indented lines, braces, and locals numbered so nested arrays and maps never reuse a name.</summary>
    private sealed class CodeBuilder
    {
        private readonly StringBuilder _text = new();
        private int _indent;
        private int _locals;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append('\t', _indent).Append(line);
            }

            _text.Append('\n');
        }

        public void Open()
        {
            Line("{");
            _indent++;
        }

        public void Close()
        {
            _indent--;
            Line("}");
        }

        public string Local(string name) => name + (++_locals).ToString(CultureInfo.InvariantCulture);

        public override string ToString() => _text.ToString();
    }
}
