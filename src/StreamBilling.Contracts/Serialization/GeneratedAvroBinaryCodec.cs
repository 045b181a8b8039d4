namespace StreamBilling.Contracts.Serialization;

/// <summary>Forwards to the static members a generated record class implements.</summary>
internal sealed class GeneratedAvroBinaryCodec<T> : IAvroBinaryCodec<T>
    where T : IAvroBinaryRecord<T>
{
    public void Write(T record, AvroBinaryWriter writer) => T.WriteAvroBinary(record, writer);

    public T Read(ref AvroBinaryReader reader) => T.ReadAvroBinary(ref reader);
}
