using Avro;
using Avro.IO;
using Avro.Specific;

namespace StreamBilling.Simulation.Tests;

/// <summary>Reads fields of generated records by schema name and serializes them, independent of the generated property names.</summary>
internal static class Records
{
    public static object Field(ISpecificRecord record, string name) =>
        record.Get(((RecordSchema)record.Schema).Fields.Single(f => f.Name == name).Pos);

    public static string EventId(this SimulatedEvent simulated) => (string)Field(simulated.Value, "eventId");

    public static byte[] ToAvroBinary(ISpecificRecord record)
    {
        using var stream = new MemoryStream();
        new SpecificDatumWriter<ISpecificRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
