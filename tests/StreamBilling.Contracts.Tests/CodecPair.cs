using Avro.IO;
using Avro.Specific;
using StreamBilling.Contracts.Serialization;

namespace StreamBilling.Contracts.Tests;

/// <summary>Apache.Avro's specific writer and reader and the generated code for one record class, behind one non-generic face.</summary>
internal abstract class CodecPair
{
    public static CodecPair For(Type recordType) =>
        (CodecPair)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(recordType))!;

    public abstract bool HasGeneratedCode { get; }

    public abstract byte[] WriteWithApache(ISpecificRecord record);

    public abstract ISpecificRecord ReadWithApache(byte[] data);

    public abstract byte[] WriteGenerated(ISpecificRecord record);

    /// <summary>The record the generated code reads from <paramref name="data"/>, and how many bytes it read.</summary>
    public abstract (ISpecificRecord Record, int BytesRead) ReadGenerated(ReadOnlySpan<byte> data);

    private sealed class Typed<T> : CodecPair
        where T : class, ISpecificRecord, new()
    {
        private readonly Avro.Schema _schema = new T().Schema;
        private readonly IAvroBinaryCodec<T>? _generated = AvroBinaryCodec.For<T>();

        public override bool HasGeneratedCode => _generated is not null;

        public override byte[] WriteWithApache(ISpecificRecord record)
        {
            using var stream = new MemoryStream();
            new SpecificDatumWriter<T>(_schema).Write((T)record, new BinaryEncoder(stream));
            return stream.ToArray();
        }

        public override ISpecificRecord ReadWithApache(byte[] data)
        {
            using var stream = new MemoryStream(data, writable: false);
            return new SpecificDatumReader<T>(_schema, _schema).Read(null!, new BinaryDecoder(stream));
        }

        public override byte[] WriteGenerated(ISpecificRecord record)
        {
            var writer = new AvroBinaryWriter(16);
            Generated.Write((T)record, writer);
            return writer.ToArray();
        }

        public override (ISpecificRecord Record, int BytesRead) ReadGenerated(ReadOnlySpan<byte> data)
        {
            var reader = new AvroBinaryReader(data);
            var record = Generated.Read(ref reader);
            return (record, reader.Position);
        }

        private IAvroBinaryCodec<T> Generated =>
            _generated ?? throw new InvalidOperationException(typeof(T) + " has no generated Avro binary code.");
    }
}
