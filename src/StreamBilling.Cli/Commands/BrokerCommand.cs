using System.CommandLine;
using StreamBilling.Contracts;
using StreamBilling.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling broker</c>: the embedded Kafka cluster as its own process, so several processes (simulator, host,
/// crash tests, <c>kcat</c>) share one cluster, with a loopback endpoint that creates topics for them and serves their
/// Schema Registry. Runs until Ctrl+C.
/// </summary>
internal sealed class BrokerCommand : ICliCommand
{
    public Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of mock brokers.", DefaultValueFactory = _ => 3 };
        var addressFile = new Option<FileInfo>("--address-file")
        {
            Description = "File the bootstrap address is written to (removed on exit).",
            DefaultValueFactory = _ => new FileInfo(EmbeddedBroker.DefaultAddressFile),
        };
        var withParent = new Option<bool>("--until-stdin-closes") { Description = "Also stop when standard input closes: a parent that runs the broker as its child (a bench) takes it down with it, even when killed." };
        var command = new Command("broker", "Run the embedded Kafka cluster (librdkafka mock) with the catalog topics until Ctrl+C; prints and writes its bootstrap address.")
        {
            brokers,
            addressFile,
            withParent,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(pr.GetValue(brokers), pr.GetValue(addressFile)!, pr.GetValue(withParent), ct));
        return command;
    }

    private static async Task<int> RunAsync(int brokerCount, FileInfo addressFile, bool untilStdinCloses, CancellationToken cancellationToken)
    {
        if (brokerCount is < 1 or > 16)
        {
            await Console.Error.WriteLineAsync("--brokers must be between 1 and 16.");
            return 1;
        }

        using var broker = EmbeddedBroker.Start(brokerCount, Topics.AllWithDeadLetters(), addressFile.FullName);

        // The first line is the address alone, so scripts can read it with `head -1`.
        Console.WriteLine(broker.BootstrapServers);
        Console.WriteLine($"embedded Kafka: {brokerCount} broker(s), {broker.TopicCount} topics (catalog + dead-letter); address written to {broker.AddressFile}");
        Console.WriteLine($"topic creation and Schema Registry for other processes at {broker.Descriptor.ControlUrl}; descriptor in {broker.DescriptorFile} and on topic {EmbeddedBrokerDescriptor.DiscoveryTopic}");
        Console.WriteLine("use it with --bootstrap-servers " + broker.BootstrapServers + " or Kafka__BootstrapServers=" + broker.BootstrapServers + " (clients find the rest from the address)");
        Console.WriteLine("limits: memory only, newest ~5 MB per partition, no transactions or compaction (clients run at-least-once). Ctrl+C stops it.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (untilStdinCloses)
        {
            _ = Task.Run(
                async () =>
                {
                    while (await Console.In.ReadLineAsync(stop.Token) is not null)
                    {
                    }

                    await stop.CancelAsync();
                },
                stop.Token);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }

        Console.WriteLine("stopping the embedded Kafka cluster");
        return 0;
    }
}
