using System.CommandLine;
using StreamBilling.Billing;
using StreamBilling.Billing.Csv;
using StreamBilling.Contracts;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling bill</c>: one CSV bill per customer and month from a folder of input files.</summary>
internal sealed class BillCommand : ICliCommand
{
    /// <summary>Exit code when the input is bad and nothing was written.</summary>
    public const int BadInputExitCode = 2;

    /// <summary>Exit code when the bills could not be written (bills written before the failure stay).</summary>
    public const int WriteFailedExitCode = 1;

    public Command Create()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Folder with Customer.csv, AWSResourceTypes.csv, the usage file and the optional files.", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder the bills are written to (created if needed).", Required = true };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Bill the valid rows and write every rejected row with its reason to rejects.csv in the output folder." };
        var throughKafka = new Option<bool>("--through-kafka")
        {
            Description = "Replay the input as events through Kafka and the billing topologies (sessions, pricing, invoices) and write the bills from the invoices; same files as without it.",
        };
        var servers = new Option<string?>("--bootstrap-servers") { Description = "With --through-kafka: Kafka to use (HOST:PORT); default an embedded cluster in this process." };
        var registry = new Option<string?>("--schema-registry") { Description = "With --bootstrap-servers: Schema Registry URL." };
        var command = new Command("bill", "Compute monthly bills (CUSTID_MON-YYYY.csv) from usage, reservations and Elastic IPs.") { input, output, skipInvalid, throughKafka, servers, registry };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
            RunAsync(
                pr.GetValue(input)!,
                pr.GetValue(output)!,
                pr.GetValue(skipInvalid),
                pr.GetValue(throughKafka) ? new KafkaTarget(pr.GetValue(servers), pr.GetValue(registry)) : null,
                pr.InvocationConfiguration.Output,
                pr.InvocationConfiguration.Error,
                ct));
        return command;
    }

    private static async Task<int> RunAsync(
        DirectoryInfo inputDir, DirectoryInfo outputDir, bool skipInvalid, KafkaTarget? kafka, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var read = BillInputReader.Read(inputDir.FullName);
        if (read.FileErrors.Count > 0)
        {
            // Without a required file or column nothing can be billed correctly, even with --skip-invalid.
            stderr.WriteLine("Cannot bill: the input is incomplete.");
            foreach (var error in read.FileErrors)
            {
                stderr.WriteLine(error.ToString());
            }

            return BadInputExitCode;
        }

        // Every rule is checked before anything is billed, so a bad input stops the run with no bill written.
        var validated = BillCalculator.Validate(read.Input);
        var errors = read.RowErrors.Concat(read.Describe(validated.Issues))
            .OrderBy(e => e.File, StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.Line)
            .ToList();
        if (errors.Count > 0 && !skipInvalid)
        {
            stderr.WriteLine($"Cannot bill: {errors.Count} bad row(s); no bill was written (use --skip-invalid to bill the valid rows).");
            foreach (var error in errors)
            {
                stderr.WriteLine(error.ToString());
            }

            return BadInputExitCode;
        }

        // Through Kafka the bills are the pipeline's latest invoices, computed before anything is written.
        IReadOnlyList<MonthlyBill>? streamed = null;
        if (kafka is not null)
        {
            await using var session = await KafkaSession.StartAsync(kafka.BootstrapServers, kafka.SchemaRegistryUrl, Topics.AllWithDeadLetters(), cancellationToken);
            streamed = await new KafkaBillReplay(session, stdout).RunAsync(read.Input, validated.Issues, cancellationToken);
        }

        // Each customer's bills are written as soon as they are computed, on all cores.
        int written;
        try
        {
            using var files = new BillFileWriter(outputDir.FullName);
            if (streamed is null)
            {
                BillCalculator.Calculate(validated, (_, bills) => files.Write(bills));
            }
            else
            {
                files.Write(streamed);
            }

            files.Complete();
            written = files.FilesWritten;
        }
        catch (Exception e) when (WriteFailure(e) is { } failure)
        {
            stderr.WriteLine($"Cannot write the bills to {outputDir.FullName}: {failure.Message}");
            return WriteFailedExitCode;
        }

        stdout.WriteLine($"{written} bill(s) written to {outputDir.FullName}");
        if (skipInvalid)
        {
            var rejects = Path.Combine(outputDir.FullName, InputFileNames.Rejects);
            RejectsCsvWriter.Write(errors, rejects);
            stdout.WriteLine($"{errors.Count} row(s) rejected, listed in {rejects}");
        }

        return 0;
    }

    /// <summary>Where <c>--through-kafka</c> runs: an embedded cluster when <see cref="BootstrapServers"/> is null.</summary>
    private sealed record KafkaTarget(string? BootstrapServers, string? SchemaRegistryUrl);

    /// <summary>The file-system error behind a failed write, also when it surfaced from a parallel loop.</summary>
    private static Exception? WriteFailure(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException => e,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Select(WriteFailure).FirstOrDefault(f => f is not null),
        _ => null,
    };
}
