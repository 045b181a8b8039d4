using System.Collections;
using Avro;
using Avro.Specific;

namespace StreamBilling.Contracts.Tests;

/// <summary>
/// Compares two decoded values of a schema strictly (runtime types, DateTime kinds, decimal scales, collection order, float
/// bits) and describes the first difference. Plain strings instead of xUnit equality: printing Avro objects on failure can
/// overflow the stack.
/// </summary>
internal static class AvroValueDifference
{
    /// <summary>The first difference between <paramref name="expected"/> and <paramref name="actual"/>, or null when there is none.</summary>
    public static string? Find(Schema schema, object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }

        if (expected.GetType() != actual.GetType())
        {
            return $"{path}: expected a {expected.GetType()}, got a {actual.GetType()}";
        }

        switch (schema)
        {
            case UnionSchema union:
                return Find(union.Schemas.Single(s => s.Tag != Schema.Type.Null), expected, actual, path);
            case RecordSchema record:
                foreach (var field in record.Fields)
                {
                    if (Find(field.Schema, ((ISpecificRecord)expected).Get(field.Pos), ((ISpecificRecord)actual).Get(field.Pos), path + "." + field.Name) is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case ArraySchema array:
                {
                    var (e, a) = ((IList)expected, (IList)actual);
                    if (e.Count != a.Count)
                    {
                        return $"{path}: expected {e.Count} items, got {a.Count}";
                    }

                    for (var i = 0; i < e.Count; i++)
                    {
                        if (Find(array.ItemSchema, e[i], a[i], $"{path}[{i}]") is { } difference)
                        {
                            return difference;
                        }
                    }

                    return null;
                }

            case MapSchema map:
                {
                    var (e, a) = (Entries((IDictionary)expected), Entries((IDictionary)actual));
                    if (e.Count != a.Count)
                    {
                        return $"{path}: expected {e.Count} entries, got {a.Count}";
                    }

                    for (var i = 0; i < e.Count; i++)
                    {
                        if (!Equals(e[i].Key, a[i].Key))
                        {
                            return $"{path}: entry {i} has key {Show(a[i].Key)}, expected {Show(e[i].Key)}";
                        }

                        if (Find(map.ValueSchema, e[i].Value, a[i].Value, $"{path}{{{e[i].Key}}}") is { } difference)
                        {
                            return difference;
                        }
                    }

                    return null;
                }

            default:
                return Same(expected, actual) ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }
    }

    private static List<DictionaryEntry> Entries(IDictionary map)
    {
        var entries = new List<DictionaryEntry>();
        for (var enumerator = map.GetEnumerator(); enumerator.MoveNext();)
        {
            entries.Add(enumerator.Entry);
        }

        return entries;
    }

    private static bool Same(object expected, object actual) => (expected, actual) switch
    {
        (DateTime e, DateTime a) => e.Ticks == a.Ticks && e.Kind == a.Kind,
        (AvroDecimal e, AvroDecimal a) => e.Scale == a.Scale && e.UnscaledValue == a.UnscaledValue,
        (byte[] e, byte[] a) => e.AsSpan().SequenceEqual(a),
        (double e, double a) => BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a),
        (float e, float a) => BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a),
        _ => Equals(expected, actual),
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        DateTime time => $"{time:O} ({time.Kind})",
        AvroDecimal number => $"{number.UnscaledValue}e-{number.Scale}",
        byte[] bytes => Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 32))) + (bytes.Length > 32 ? $"... ({bytes.Length} bytes)" : string.Empty),
        string text => text.Length > 60 ? $"\"{text[..60]}...\" ({text.Length} chars)" : $"\"{text}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
