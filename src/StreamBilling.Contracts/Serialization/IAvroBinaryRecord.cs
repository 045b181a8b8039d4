using Avro.Specific;

namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// A generated record class with schema-specific Avro binary code (emitted at build time by
/// StreamBilling.Contracts.Generator next to the class): straight-line writes and reads of exactly the bytes Apache.Avro's
/// SpecificDatumWriter writes for the class's own schema, without reflection, boxing or per-call delegates. Reading data
/// written with another schema (schema evolution) still needs Apache.Avro's resolving reader.
/// </summary>
/// <typeparam name="TSelf">The record class itself.</typeparam>
public interface IAvroBinaryRecord<TSelf> : ISpecificRecord
    where TSelf : IAvroBinaryRecord<TSelf>
{
    /// <summary>Appends the Avro binary encoding of <paramref name="record"/> (its class's schema) to <paramref name="writer"/>.</summary>
    /// <exception cref="Avro.AvroTypeException">A field the schema does not allow to be null is null, or an enum value has no symbol.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A decimal's scale is not its schema's scale (as Apache.Avro).</exception>
    static abstract void WriteAvroBinary(TSelf record, AvroBinaryWriter writer);

    /// <summary>Reads one record written with the class's own schema, advancing <paramref name="reader"/> past it.</summary>
    /// <exception cref="Avro.AvroException">The data ends early or is not valid for the schema.</exception>
    static abstract TSelf ReadAvroBinary(ref AvroBinaryReader reader);
}
