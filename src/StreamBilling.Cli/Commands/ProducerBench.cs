using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using StreamBilling.Contracts;
using StreamBilling.Kafka;
using StreamBilling.Simulation;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench producer</c>: in one process and one embedded cluster, the same simulator events produced as Avro
/// (real serializers, in-memory registry, one typed serializer per record class) and as bytes serialized beforehand. The
/// difference is what Avro serialization costs on the produce path.
/// </summary>
internal sealed class ProducerBench : IBenchCommand
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(5);

    public Command Create()
    {
        var events = new Option<int>("--events") { Description = "Simulator events per round.", DefaultValueFactory = _ => 300_000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of each kind, alternating; the median is reported.", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Simulator seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("producer", "Avro events/s vs pre-serialized bytes/s into the embedded cluster, same events, same run.") { events, rounds, seed };
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(pr.GetValue(events), pr.GetValue(rounds), pr.GetValue(seed), ct));
        return command;
    }

    private static async Task<int> RunAsync(int eventCount, int roundCount, int seed, CancellationToken cancellationToken)
    {
        if (eventCount < 1000 || roundCount < 1)
        {
            await Console.Error.WriteLineAsync("--events must be at least 1000 and --rounds at least 1.");
            return 1;
        }

        // Each kind writes to its own copies of the catalog topics (same partitions), so neither reads the other's cap.
        var avroTopics = Topics.All.Select(t => t with { Name = "bench.avro." + t.Name }).ToList();
        var rawTopics = Topics.All.Select(t => t with { Name = "bench.raw." + t.Name }).ToList();
        await using var kafka = await KafkaSession.StartAsync(null, null, avroTopics.Concat(rawTopics), cancellationToken);

        var generate = Stopwatch.StartNew();
        var sample = Generate(eventCount, seed);
        var serializer = kafka.Clients.CreateSpecificRecordSerializer();
        var serialized = sample
            .Select(e => (Topic: "bench.raw." + e.Topic, Key: Encoding.UTF8.GetBytes(e.Key), Value: serializer.Serialize(e.Value, new SerializationContext(MessageComponentType.Value, "bench.raw." + e.Topic)), e.Timestamp))
            .ToList();
        var averageBytes = serialized.Average(s => s.Value.Length + s.Key.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sample.Count:N0} simulator events over {sample.Select(e => e.Topic).Distinct().Count()} topics, {averageBytes:F0} B per record (key + Avro value), prepared in {generate.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores, load {LoadAverage()}"));

        // Warm-up: registers every subject and JITs both paths before anything is timed.
        var warmUp = Math.Min(2000, sample.Count);
        await ProduceAvroAsync(kafka.Clients, sample.Take(warmUp), cancellationToken);
        await ProduceRawAsync(kafka.Clients, serialized.Take(warmUp), cancellationToken);

        // Serialization alone, to split the Avro cost from the produce path.
        var serializeOnly = Stopwatch.StartNew();
        foreach (var e in sample)
        {
            serializer.Serialize(e.Value, new SerializationContext(MessageComponentType.Value, "bench.raw." + e.Topic));
        }

        var serializeRate = sample.Count / serializeOnly.Elapsed.TotalSeconds;
        var encodeRate = AvroEncodingRate(sample);

        var avroRates = new List<double>();
        var rawRates = new List<double>();
        for (var round = 1; round <= roundCount; round++)
        {
            var avro = await ProduceAvroAsync(kafka.Clients, sample, cancellationToken);
            var raw = await ProduceRawAsync(kafka.Clients, serialized, cancellationToken);
            avroRates.Add(sample.Count / avro.TotalSeconds);
            rawRates.Add(sample.Count / raw.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: avro {avroRates[^1],10:N0} events/s ({avro.TotalSeconds:F2} s)   raw {rawRates[^1],10:N0} events/s ({raw.TotalSeconds:F2} s)"));
        }

        var (avroMedian, rawMedian) = (Median(avroRates), Median(rawRates));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"avro (serialize + produce + ack): {avroMedian:N0} events/s, {avroMedian * averageBytes / (1024 * 1024):F1} MiB/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw  (pre-serialized bytes):      {rawMedian:N0} events/s, {rawMedian * averageBytes / (1024 * 1024):F1} MiB/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"avro serialization alone (Confluent serializer, no Kafka): {serializeRate:N0} events/s, {1e6 / serializeRate:F1} us per event"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"avro binary encoding alone (Apache.Avro writer, no wire format, no registry): {encodeRate:N0} events/s, {1e6 / encodeRate:F1} us per event"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"avro/raw = {avroMedian / rawMedian:F2} (median of {roundCount} round(s) each)"));
        return 0;
    }

    /// <summary>Events/s through Apache.Avro's SpecificDefaultWriter alone (one writer per record class, one reused buffer): the floor under any Avro serializer.</summary>
    private static double AvroEncodingRate(List<SimulatedEvent> events)
    {
        var writers = new Dictionary<Type, SpecificDefaultWriter>();
        using var buffer = new MemoryStream();
        var encoder = new BinaryEncoder(buffer);
        var clock = Stopwatch.StartNew();
        foreach (var e in events)
        {
            if (!writers.TryGetValue(e.Value.GetType(), out var writer))
            {
                writer = new SpecificDefaultWriter(e.Value.Schema);
                writers[e.Value.GetType()] = writer;
            }

            buffer.SetLength(0);
            writer.Write(e.Value.Schema, e.Value, encoder);
        }

        return events.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The first <paramref name="count"/> events of a simulation large enough to have them.</summary>
    private static List<SimulatedEvent> Generate(int count, int seed)
    {
        // About 2,000 events per customer and simulated day at the default mix; size the simulation with room to spare.
        var customers = Math.Max(10, (int)Math.Ceiling(count / 1500.0));
        var events = new UsageSimulator(new SimulationOptions { Customers = customers, Seed = seed }).Generate().Take(count).ToList();
        return events.Count == count ? events : throw new InvalidOperationException($"The simulation produced only {events.Count} events.");
    }

    private static async Task<TimeSpan> ProduceAvroAsync(KafkaClientFactory clients, IEnumerable<SimulatedEvent> events, CancellationToken cancellationToken)
    {
        using var publisher = clients.CreateRecordPublisher();
        var clock = Stopwatch.StartNew();
        foreach (var e in events)
        {
            await publisher.PublishAsync("bench.avro." + e.Topic, e.Key, e.Value, e.Timestamp, cancellationToken);
        }

        publisher.Flush(cancellationToken);
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> ProduceRawAsync(KafkaClientFactory clients, IEnumerable<(string Topic, byte[] Key, byte[] Value, DateTimeOffset Timestamp)> records, CancellationToken cancellationToken)
    {
        using var producer = clients.CreateRawProducer();
        long failed = 0;

        // A delivery handler like the publisher's, so both paths pay for one callback per record.
        Action<DeliveryReport<byte[], byte[]>> onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        var clock = Stopwatch.StartNew();
        foreach (var (topic, key, value, timestamp) in records)
        {
            var message = new Message<byte[], byte[]> { Key = key, Value = value, Timestamp = new Timestamp(timestamp) };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, onDelivery);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    await Task.Delay(QueueFullBackoff, cancellationToken);
                }
            }
        }

        producer.Flush(cancellationToken);
        var elapsed = clock.Elapsed;
        return Interlocked.Read(ref failed) == 0 ? elapsed : throw new InvalidOperationException($"{failed} raw record(s) were not delivered.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
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
}
