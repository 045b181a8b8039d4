using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Avro.IO;
using Avro.Specific;
using StreamBilling.Contracts.Serialization;
using StreamBilling.Kafka;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench avro</c>: Avro binary encoding and decoding of the same simulator records, per record, with
/// Apache.Avro's SpecificDatumWriter/Reader (what AvroWireCodec used before the generated code) and with the generated
/// code, plus AvroWireCodec's whole serialize and deserialize (wire format, in-memory registry). One thread, no Kafka.
/// </summary>
internal sealed class AvroCodecBench : IBenchCommand
{
    public Command Create()
    {
        var events = new Option<int>("--events") { Description = "Simulator records encoded and decoded per round.", DefaultValueFactory = _ => 300_000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of each kind, alternating; the median is reported.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("avro", "Avro encode/decode per record: Apache.Avro's specific writer/reader vs the generated code, same records.") { events, rounds, seed };
        command.SetAction((ParseResult pr, CancellationToken ct) => Task.FromResult(Run(pr.GetValue(events), pr.GetValue(rounds), pr.GetValue(seed), ct)));
        return command;
    }

    private static int Run(int eventCount, int roundCount, int seed, CancellationToken cancellationToken)
    {
        if (eventCount < 1000 || roundCount < 1)
        {
            Console.Error.WriteLine("--events must be at least 1000 and --rounds at least 1.");
            return 1;
        }

        var customers = Math.Max(10, (int)Math.Ceiling(eventCount / 1500.0));
        var records = new UsageSimulator(new SimulationOptions { Customers = customers, Seed = seed }).Generate()
            .Take(eventCount).Select(e => e.Value).ToList();
        var registry = new InMemorySchemaRegistryClient();
        var codecs = records.Select(r => r.GetType()).Distinct()
            .ToDictionary(t => t, t => (RecordCodecs)Activator.CreateInstance(typeof(TypedCodecs<>).MakeGenericType(t), registry)!);
        var work = records.Select(r => (Record: r, Codecs: codecs[r.GetType()])).ToList();
        var encoded = work.Select(w => w.Codecs.EncodeWithApache(w.Record)).ToList();
        var wire = work.Select(w => w.Codecs.SerializeWire(w.Record)).ToList();
        var withoutGeneratedCode = codecs.Where(c => !c.Value.HasGeneratedCode).Select(c => c.Key.Name).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{records.Count:N0} simulator records of {codecs.Count} classes, {encoded.Average(e => e.Length):F0} B Avro binary on average; {Environment.ProcessorCount} cores, load {LoadAverage()}"));
        if (withoutGeneratedCode.Count > 0)
        {
            Console.WriteLine("without generated code (Apache.Avro in both columns): " + string.Join(", ", withoutGeneratedCode));
        }

        (string Name, Action<int> Step)[] kinds =
        [
            ("encode, Apache.Avro SpecificDatumWriter", i => work[i].Codecs.EncodeWithApache(work[i].Record)),
            ("encode, generated code", i => work[i].Codecs.EncodeGenerated(work[i].Record)),
            ("decode, Apache.Avro SpecificDatumReader", i => work[i].Codecs.DecodeWithApache(encoded[i])),
            ("decode, generated code", i => work[i].Codecs.DecodeGenerated(encoded[i])),
            ("AvroWireCodec.Serialize (wire format)", i => work[i].Codecs.SerializeWire(work[i].Record)),
            ("AvroWireCodec.Deserialize (wire format)", i => work[i].Codecs.DeserializeWire(wire[i])),
        ];

        // Warm-up: JIT and tiering of every path before anything is timed.
        foreach (var (_, step) in kinds)
        {
            for (var i = 0; i < Math.Min(work.Count, 20_000); i++)
            {
                step(i);
            }
        }

        var rates = kinds.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < roundCount; round++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < work.Count; i++)
                {
                    kinds[k].Step(i);
                }

                rates[k].Add(work.Count / clock.Elapsed.TotalSeconds);
            }
        }

        for (var k = 0; k < kinds.Length; k++)
        {
            var median = rates[k].Order().ElementAt(rates[k].Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kinds[k].Name,-42} {median,12:N0} records/s {1e9 / median,8:F0} ns per record"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(median of {roundCount} round(s) each, one thread)"));
        PrintByClass(work, encoded);
        foreach (var codec in codecs.Values)
        {
            codec.Dispose();
        }

        return 0;
    }

    /// <summary>ns per record for each class and path, one timed pass over the class's records: where the time goes.</summary>
    private static void PrintByClass(List<(ISpecificRecord Record, RecordCodecs Codecs)> work, List<byte[]> encoded)
    {
        Console.WriteLine($"{"by class (ns per record)",-34} {"records",8} {"bytes",6} {"enc Apache",10} {"enc gen",8} {"dec Apache",10} {"dec gen",8}");
        foreach (var group in Enumerable.Range(0, work.Count).GroupBy(i => work[i].Record.GetType()).OrderByDescending(g => g.Count()))
        {
            var indexes = group.ToList();
            double Time(Action<int> step)
            {
                var clock = Stopwatch.StartNew();
                foreach (var i in indexes)
                {
                    step(i);
                }

                return clock.Elapsed.TotalNanoseconds / indexes.Count;
            }

            var codecs = work[indexes[0]].Codecs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key.Name,-34} {indexes.Count,8} {indexes.Average(i => encoded[i].Length),6:F0} {Time(i => codecs.EncodeWithApache(work[i].Record)),10:F0} {Time(i => codecs.EncodeGenerated(work[i].Record)),8:F0} {Time(i => codecs.DecodeWithApache(encoded[i])),10:F0} {Time(i => codecs.DecodeGenerated(encoded[i])),8:F0}"));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Every codec of one record class, behind methods that take any record.</summary>
    private abstract class RecordCodecs : IDisposable
    {
        public abstract void Dispose();

        public abstract bool HasGeneratedCode { get; }

        public abstract byte[] EncodeWithApache(ISpecificRecord record);

        public abstract byte[] EncodeGenerated(ISpecificRecord record);

        public abstract ISpecificRecord DecodeWithApache(byte[] avroBinary);

        public abstract ISpecificRecord DecodeGenerated(byte[] avroBinary);

        public abstract byte[] SerializeWire(ISpecificRecord record);

        public abstract ISpecificRecord DeserializeWire(byte[] wireFormat);
    }

    private sealed class TypedCodecs<T>(Confluent.SchemaRegistry.ISchemaRegistryClient registry) : RecordCodecs
        where T : class, ISpecificRecord, new()
    {
        private static readonly Avro.Schema Schema = new T().Schema;
        private readonly SpecificDatumWriter<T> _apacheWriter = new(Schema);
        private readonly SpecificDatumReader<T> _apacheReader = new(Schema, Schema);
        private readonly MemoryStream _apacheBuffer = new(1024);
        private readonly IAvroBinaryCodec<T>? _generated = AvroBinaryCodec.For<T>();
        private readonly AvroBinaryWriter _generatedBuffer = new(1024);
        private readonly AvroWireCodec<T> _wire = new(registry);
        private readonly string _topic = "bench." + typeof(T).Name;

        public override bool HasGeneratedCode => _generated is not null;

        public override void Dispose() => _apacheBuffer.Dispose();

        // As AvroWireCodec did before the generated code: a reused stream, a new encoder, the bytes copied out.
        public override byte[] EncodeWithApache(ISpecificRecord record)
        {
            _apacheBuffer.SetLength(0);
            _apacheWriter.Write((T)record, new BinaryEncoder(_apacheBuffer));
            return _apacheBuffer.ToArray();
        }

        public override byte[] EncodeGenerated(ISpecificRecord record)
        {
            if (_generated is null)
            {
                return EncodeWithApache(record);
            }

            _generatedBuffer.Reset();
            _generated.Write((T)record, _generatedBuffer);
            return _generatedBuffer.ToArray();
        }

        public override ISpecificRecord DecodeWithApache(byte[] avroBinary)
        {
            using var stream = new MemoryStream(avroBinary, writable: false);
            return _apacheReader.Read(null!, new BinaryDecoder(stream));
        }

        public override ISpecificRecord DecodeGenerated(byte[] avroBinary)
        {
            if (_generated is null)
            {
                return DecodeWithApache(avroBinary);
            }

            var reader = new AvroBinaryReader(avroBinary);
            return _generated.Read(ref reader);
        }

        public override byte[] SerializeWire(ISpecificRecord record) => _wire.Serialize((T)record, _topic);

        public override ISpecificRecord DeserializeWire(byte[] wireFormat) => _wire.Deserialize(wireFormat);
    }
}
