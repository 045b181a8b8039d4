using System.Collections;
using System.Numerics;
using System.Text;
using Avro;
using Avro.Specific;

namespace StreamBilling.Contracts.Tests;

/// <summary>Which values <see cref="RandomRecords"/> picks.</summary>
internal enum ValueProfile
{
    /// <summary>Seeded random values, edge cases included (nulls, empty and non-ASCII strings, extreme numbers).</summary>
    Random,

    /// <summary>Every union null, every string, array, map and bytes empty, every number and time at its minimum.</summary>
    Smallest,

    /// <summary>No nulls, long non-ASCII strings, 1,000-item arrays, every number and time at its maximum, huge decimals.</summary>
    Largest,
}

/// <summary>Builds generated records of any schema with seeded random or extreme values, through <see cref="ISpecificRecord.Put"/>.</summary>
internal sealed class RandomRecords(int seed, ValueProfile profile = ValueProfile.Random)
{
    // The instants DateTime can hold, in whole milliseconds from the Unix epoch.
    private const long MinMillis = -62_135_596_800_000;
    private const long MaxMillis = 253_402_300_799_999;
    private const int MaxDepth = 4;

    private static readonly string[] NonAscii = ["é", "ü", "ß", "Ω", "€", "日本", "中文字符", "😀", "🚀", "\u0301", "ﷺ", "𝄞"];
    private static readonly System.Reflection.Assembly[] RecordAssemblies = [typeof(Topics).Assembly, typeof(RandomRecords).Assembly];
    private readonly Random _random = new(seed);

    public static Type ClrType(NamedSchema schema) =>
        RecordAssemblies.Select(a => a.GetType(schema.Fullname)).FirstOrDefault(t => t is not null)
        ?? throw new InvalidOperationException("No generated class for " + schema.Fullname);

    public ISpecificRecord Create(RecordSchema schema) => Record(schema, depth: 0);

    private ISpecificRecord Record(RecordSchema schema, int depth)
    {
        var record = (ISpecificRecord)Activator.CreateInstance(ClrType(schema))!;
        foreach (var field in schema.Fields)
        {
            record.Put(field.Pos, Value(field.Schema, depth));
        }

        return record;
    }

    private static int WrittenSymbols(EnumSchema schema) => schema.Default is null ? schema.Count : schema.Count - 1;

    private object? Value(Schema schema, int depth) => schema switch
    {
        UnionSchema union => NullOrValue(union, depth),
        RecordSchema record => Record(record, depth + 1),
        // The default symbol (last) stands in for symbols a reader lacks and is never written.
        EnumSchema enumSchema => Enum.ToObject(ClrType(enumSchema), profile switch
        {
            ValueProfile.Smallest => 0,
            ValueProfile.Largest => WrittenSymbols(enumSchema) - 1,
            _ => _random.Next(WrittenSymbols(enumSchema)),
        }),
        ArraySchema array => List(array, depth),
        MapSchema map => Map(map, depth),
        LogicalSchema { LogicalTypeName: "timestamp-millis" } => Timestamp(),
        LogicalSchema { LogicalTypeName: "timestamp-micros" } => Timestamp(),
        LogicalSchema { LogicalTypeName: "decimal" } logical => Decimal(logical),
        PrimitiveSchema { Tag: Schema.Type.String } => String(),
        PrimitiveSchema { Tag: Schema.Type.Bytes } => Bytes(),
        PrimitiveSchema { Tag: Schema.Type.Long } => Long(),
        PrimitiveSchema { Tag: Schema.Type.Int } => Int(),
        PrimitiveSchema { Tag: Schema.Type.Boolean } => profile switch
        {
            ValueProfile.Smallest => false,
            ValueProfile.Largest => true,
            _ => _random.Next(2) == 1,
        },
        PrimitiveSchema { Tag: Schema.Type.Double } => Double(),
        PrimitiveSchema { Tag: Schema.Type.Float } => (float)Double(),
        _ => throw new NotSupportedException("No value for " + schema),
    };

    private object? NullOrValue(UnionSchema union, int depth)
    {
        var value = union.Schemas.Single(s => s.Tag != Schema.Type.Null);
        var isNull = profile switch
        {
            ValueProfile.Smallest => true,
            ValueProfile.Largest => depth >= MaxDepth,
            _ => depth >= MaxDepth || _random.Next(3) == 0,
        };
        return isNull ? null : Value(value, depth);
    }

    private IList List(ArraySchema array, int depth)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(ClrTypeOf(array.ItemSchema)))!;
        var count = profile switch
        {
            ValueProfile.Smallest => 0,
            ValueProfile.Largest => depth == 0 ? 1000 : 3,
            _ => _random.Next(10) switch
            {
                < 3 => 0,
                9 when depth == 0 => _random.Next(100, 600),
                _ => _random.Next(1, 6),
            },
        };
        for (var i = 0; i < count; i++)
        {
            list.Add(Value(array.ItemSchema, depth + 1));
        }

        return list;
    }

    private IDictionary Map(MapSchema map, int depth)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), ClrTypeOf(map.ValueSchema)))!;
        var count = profile switch
        {
            ValueProfile.Smallest => 0,
            ValueProfile.Largest => depth == 0 ? 200 : 3,
            _ => _random.Next(6),
        };
        for (var i = 0; i < count; i++)
        {
            dictionary[$"{String()}#{i}"] = Value(map.ValueSchema, depth + 1);
        }

        return dictionary;
    }

    private string String()
    {
        if (profile == ValueProfile.Smallest)
        {
            return string.Empty;
        }

        if (profile == ValueProfile.Largest)
        {
            return Repeat(() => NonAscii[_random.Next(NonAscii.Length)], 100);
        }

        return _random.Next(12) switch
        {
            0 => string.Empty,
            1 => Repeat(() => NonAscii[_random.Next(NonAscii.Length)], _random.Next(1, 8)),
            2 => new string('a', _random.Next(20, 70)), // the length prefix grows from 1 to 2 bytes at 64 bytes
            3 => Repeat(() => "€", _random.Next(18, 45)), // 3 bytes per char: 54 to 132 bytes
            4 => Repeat(() => ((char)_random.Next(32, 127)).ToString(), _random.Next(100, 9000)),
            5 => "lone \uD800 surrogate", // not valid UTF-16: both encoders write U+FFFD
            6 => "tab\tnew line\n\0nul",
            _ => "id-" + _random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static string Repeat(Func<string> part, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(part());
        }

        return text.ToString();
    }

    private byte[] Bytes()
    {
        var bytes = new byte[profile switch
        {
            ValueProfile.Smallest => 0,
            ValueProfile.Largest => 5000,
            _ => _random.Next(4) == 0 ? 0 : _random.Next(1, 300),
        }];
        _random.NextBytes(bytes);
        return bytes;
    }

    private long Long() => profile switch
    {
        ValueProfile.Smallest => long.MinValue,
        ValueProfile.Largest => long.MaxValue,
        _ => _random.Next(12) switch
        {
            0 => 0,
            1 => -1,
            2 => long.MinValue,
            3 => long.MaxValue,
            4 => 63, // the last one-byte zig-zag value
            5 => -65,
            6 => (long)int.MaxValue + 1,
            7 => _random.Next(-1000, 1000),
            _ => _random.NextInt64(long.MinValue, long.MaxValue),
        },
    };

    private int Int() => profile switch
    {
        ValueProfile.Smallest => int.MinValue,
        ValueProfile.Largest => int.MaxValue,
        _ => _random.Next(8) switch
        {
            0 => 0,
            1 => int.MinValue,
            2 => int.MaxValue,
            3 => -64,
            _ => _random.Next(int.MinValue, int.MaxValue),
        },
    };

    private double Double() => profile switch
    {
        ValueProfile.Smallest => double.MinValue,
        ValueProfile.Largest => double.MaxValue,
        _ => _random.Next(8) switch
        {
            0 => double.NaN,
            1 => double.NegativeInfinity,
            2 => -0.0,
            3 => double.Epsilon,
            _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-20, 20)),
        },
    };

    private DateTime Timestamp()
    {
        if (profile != ValueProfile.Random)
        {
            return DateTime.UnixEpoch.AddMilliseconds(profile == ValueProfile.Smallest ? MinMillis : MaxMillis);
        }

        var kind = _random.Next(6) switch
        {
            0 => DateTimeKind.Unspecified,
            1 => DateTimeKind.Local,
            _ => DateTimeKind.Utc,
        };
        return _random.Next(8) switch
        {
            0 => DateTime.UnixEpoch,
            1 => DateTime.UnixEpoch.AddMilliseconds(MinMillis),
            2 => DateTime.UnixEpoch.AddMilliseconds(MaxMillis),
            3 => DateTime.UnixEpoch.AddMilliseconds(_random.NextInt64(MinMillis, 0)), // before 1970: negative
            // Sub-millisecond ticks: timestamp-millis truncates them, timestamp-micros keeps whole microseconds.
            4 => new DateTime(2024, 8, 15, 10, 30, 45, kind).AddTicks(_random.Next(0, 10_000_000)),
            _ => new DateTime(_random.NextInt64(DateTime.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), kind),
        };
    }

    private AvroDecimal Decimal(LogicalSchema schema)
    {
        var scale = schema.GetProperty("scale") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var precision = int.Parse(schema.GetProperty("precision")!, System.Globalization.CultureInfo.InvariantCulture);
        var largest = BigInteger.Pow(10, precision) - 1;

        // Apache.Avro checks the scale but not the precision, so values beyond it are written too (and must match).
        var huge = BigInteger.Pow(10, 40) + _random.NextInt64();
        BigInteger unscaled = profile switch
        {
            ValueProfile.Smallest => -huge,
            ValueProfile.Largest => huge,
            _ => _random.Next(12) switch
            {
                0 => BigInteger.Zero,
                1 => BigInteger.One,
                2 => BigInteger.MinusOne,
                3 => 127,
                4 => 128, // needs a leading 0 byte to stay positive
                5 => -129,
                6 => largest,
                7 => -largest,
                8 => _random.Next(2) == 0 ? huge : -huge,
                9 => long.MinValue,
                _ => new BigInteger(RandomBytes(_random.Next(1, 12))),
            },
        };
        return new AvroDecimal(unscaled, scale);
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The C# type Avro's CodeGen gives values of <paramref name="schema"/>.</summary>
    private static Type ClrTypeOf(Schema schema) => schema switch
    {
        UnionSchema union when union.Schemas.Single(s => s.Tag != Schema.Type.Null) is var value =>
            ClrTypeOf(value) is { IsValueType: true } valueType ? typeof(Nullable<>).MakeGenericType(valueType) : ClrTypeOf(value),
        RecordSchema or EnumSchema => ClrType((NamedSchema)schema),
        ArraySchema array => typeof(IList<>).MakeGenericType(ClrTypeOf(array.ItemSchema)),
        MapSchema map => typeof(IDictionary<,>).MakeGenericType(typeof(string), ClrTypeOf(map.ValueSchema)),
        LogicalSchema { LogicalTypeName: "decimal" } => typeof(AvroDecimal),
        LogicalSchema => typeof(DateTime),
        PrimitiveSchema { Tag: Schema.Type.String } => typeof(string),
        PrimitiveSchema { Tag: Schema.Type.Bytes } => typeof(byte[]),
        PrimitiveSchema { Tag: Schema.Type.Long } => typeof(long),
        PrimitiveSchema { Tag: Schema.Type.Int } => typeof(int),
        PrimitiveSchema { Tag: Schema.Type.Boolean } => typeof(bool),
        PrimitiveSchema { Tag: Schema.Type.Double } => typeof(double),
        PrimitiveSchema { Tag: Schema.Type.Float } => typeof(float),
        _ => throw new NotSupportedException("No CLR type for " + schema),
    };
}
