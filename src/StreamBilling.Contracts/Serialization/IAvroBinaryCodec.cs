namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// Instance access to a record class's generated Avro binary code (<see cref="IAvroBinaryRecord{TSelf}"/>), for callers
/// whose type parameter is not constrained to it; get one from <see cref="AvroBinaryCodec.For{T}"/>.
/// </summary>
/// <typeparam name="T">The record class.</typeparam>
public interface IAvroBinaryCodec<T>
{
    /// <summary>Appends the Avro binary encoding of <paramref name="record"/> to <paramref name="writer"/>.</summary>
    void Write(T record, AvroBinaryWriter writer);

    /// <summary>Reads one record written with the class's own schema.</summary>
    T Read(ref AvroBinaryReader reader);
}
