using System.Collections;
using System.Numerics;
using Avro;
using Avro.Specific;

namespace StreamBilling.Contracts.Tests;

/// <summary>Builds generated records with a non-default value in every field, and compares records field by field.</summary>
internal static class SampleRecords
{
    private static readonly System.Reflection.Assembly ContractsAssembly = typeof(Topics).Assembly;

    public static Type ClrType(NamedSchema schema) =>
        ContractsAssembly.GetType(schema.Fullname, throwOnError: true)!;

    public static ISpecificRecord Create(RecordSchema schema, int seed)
    {
        var record = (ISpecificRecord)Activator.CreateInstance(ClrType(schema))!;
        foreach (var field in schema.Fields)
        {
            record.Put(field.Pos, Value(field.Schema, seed + field.Pos));
        }

        return record;
    }

    private static object Value(Schema schema, int seed) => schema switch
    {
        UnionSchema union => Value(SchemaCatalog.NonNull(union), seed),
        LogicalSchema { LogicalTypeName: "timestamp-millis" } =>
            new DateTime(2024, 8, 15, 10, 30, 45, DateTimeKind.Utc).AddMilliseconds(123 + (seed * 60_001L)),
        LogicalSchema { LogicalTypeName: "decimal" } logical =>
            new AvroDecimal(new BigInteger(1_234_567 + seed), int.Parse(logical.GetProperty("scale")!, System.Globalization.CultureInfo.InvariantCulture)),
        RecordSchema record => Create(record, seed * 31),
        EnumSchema enumSchema => Enum.Parse(ClrType(enumSchema), enumSchema.Symbols[enumSchema.Default is null ? ^1 : ^2]), // the default is never written
        ArraySchema array => List(array.ItemSchema, seed),
        MapSchema map => new Dictionary<string, string> { ["role"] = "Admin", ["team"] = "t" + seed },
        PrimitiveSchema { Tag: Schema.Type.String } => "value-" + seed,
        PrimitiveSchema { Tag: Schema.Type.Long } => 10_000_000_000L + seed,
        PrimitiveSchema { Tag: Schema.Type.Int } => 7 + seed,
        PrimitiveSchema { Tag: Schema.Type.Boolean } => true,
        PrimitiveSchema { Tag: Schema.Type.Bytes } => new byte[] { 1, 2, (byte)seed },
        _ => throw new NotSupportedException("No sample value for " + schema),
    };

    private static IList List(Schema itemSchema, int seed)
    {
        var itemType = itemSchema switch
        {
            NamedSchema named => ClrType(named),
            PrimitiveSchema { Tag: Schema.Type.String } => typeof(string),
            _ => throw new NotSupportedException("No list type for " + itemSchema),
        };
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        list.Add(Value(itemSchema, seed));
        list.Add(Value(itemSchema, seed + 1));
        return list;
    }

    /// <summary>Asserts that two values of <paramref name="schema"/> are equal, descending into records, lists and maps.</summary>
    public static void AssertEqual(Schema schema, object? expected, object? actual, string path)
    {
        switch (schema)
        {
            case UnionSchema union:
                AssertEqual(SchemaCatalog.NonNull(union), expected, actual, path);
                break;
            case RecordSchema record:
                var (e, a) = (Assert.IsAssignableFrom<ISpecificRecord>(expected), Assert.IsAssignableFrom<ISpecificRecord>(actual));
                foreach (var field in record.Fields)
                {
                    AssertEqual(field.Schema, e.Get(field.Pos), a.Get(field.Pos), path + "." + field.Name);
                }

                break;
            case ArraySchema array:
                var (el, al) = (Assert.IsAssignableFrom<IList>(expected), Assert.IsAssignableFrom<IList>(actual));
                Assert.Equal(el.Count, al.Count);
                for (var i = 0; i < el.Count; i++)
                {
                    AssertEqual(array.ItemSchema, el[i], al[i], $"{path}[{i}]");
                }

                break;
            case MapSchema:
                Assert.Equal(
                    Assert.IsAssignableFrom<IDictionary<string, string>>(expected).OrderBy(kv => kv.Key),
                    Assert.IsAssignableFrom<IDictionary<string, string>>(actual).OrderBy(kv => kv.Key));
                break;
            case PrimitiveSchema { Tag: Schema.Type.Bytes }:
                Assert.Equal((byte[])expected!, (byte[])actual!);
                break;
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}");
                break;
        }
    }
}
