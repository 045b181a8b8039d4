using System.CommandLine;
using StreamBilling.Billing;
using StreamBilling.Billing.Csv;
using StreamBilling.Contracts;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling bill</c>: one CSV bill per customer and month from a folder of input files.</summary>
internal sealed class BillCommand(TimeProvider clock) : ICliCommand
{
    /// <summary>Exit code when the input is bad and nothing was written.</summary>
    public const int BadInputExitCode = 2;

    /// <summary>Exit code when the bills could not be written (nothing is left in the output folder).</summary>
    public const int WriteFailedExitCode = 1;

    /// <summary>How far ahead of the clock an event time may be before it is rejected as <c>future-timestamp</c>, unless <c>--max-clock-skew</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The command on the system clock (how the CLI creates it).</summary>
    public BillCommand()
        : this(TimeProvider.System)
    {
    }

    public Command Create()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Folder with Customer.csv, AWSResourceTypes.csv, the usage file and the optional files.", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder the bills are written to (created if needed).", Required = true };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Bill the valid rows and write every rejected row with its reason to rejects.csv in the output folder." };
        var maxClockSkew = new Option<TimeSpan>("--max-clock-skew")
        {
            Description = "Reject rows whose event times (usage, Elastic IP, reservation start) lie further ahead of the current time than this (future-timestamp); 5m, 1h, 1d, ...",
            DefaultValueFactory = _ => DefaultMaxClockSkew,
            CustomParser = DurationArgument.Parse,
        };
        var throughKafka = new Option<bool>("--through-kafka")
        {
            Description = "Replay the input as events through Kafka and the billing topologies (sessions, pricing, invoices) and write the bills from the invoices; same files as without it.",
        };
        var servers = new Option<string?>("--bootstrap-servers") { Description = "With --through-kafka: Kafka to use (HOST:PORT); default an embedded cluster in this process." };
        var registry = new Option<string?>("--schema-registry") { Description = "With --bootstrap-servers: Schema Registry URL." };
        var durable = new Option<bool>("--durable")
        {
            Description = "Return only once the bills are on the disk (a file system sync before they are moved into the output folder, the folder synced after): "
                + "after a crash the folder holds all of this run's bills or none. Without it a crash soon after the run may lose bills the command reported written.",
        };
        var command = new Command("bill", "Compute monthly bills (CUSTID_MON-YYYY.csv) from usage, reservations and Elastic IPs.") { input, output, skipInvalid, maxClockSkew, throughKafka, servers, registry, durable };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
            RunAsync(
                pr.GetValue(input)!,
                pr.GetValue(output)!,
                pr.GetValue(skipInvalid),
                clock.GetUtcNow() + pr.GetValue(maxClockSkew),
                pr.GetValue(throughKafka) ? new KafkaTarget(pr.GetValue(servers), pr.GetValue(registry)) : null,
                pr.GetValue(durable),
                pr.InvocationConfiguration.Output,
                pr.InvocationConfiguration.Error,
                ct));
        return command;
    }

    private static async Task<int> RunAsync(
        DirectoryInfo inputDir,
        DirectoryInfo outputDir,
        bool skipInvalid,
        DateTimeOffset latestEventTime,
        KafkaTarget? kafka,
        bool durable,
        TextWriter stdout,
        TextWriter stderr,
        CancellationToken cancellationToken)
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
        var validated = BillCalculator.Validate(read.Input, latestEventTime);
        var errors = read.Errors(validated.Issues);
        if (errors.Count > 0 && !skipInvalid)
        {
            stderr.WriteLine($"Cannot bill: {errors.Count} bad row(s); no bill was written (use --skip-invalid to bill the valid rows).");
            foreach (var error in errors)
            {
                stderr.WriteLine(error.ToString());
            }

            return BadInputExitCode;
        }

        // The writer stages every file and moves them into the output folder only at Complete: a bad month or any
        // failure on the way leaves the output folder as it was.
        int written;
        try
        {
            using var files = new BillFileWriter(outputDir.FullName, durable: durable);
            IReadOnlyList<MonthIssue> monthIssues;
            if (kafka is null)
            {
                // Each customer's bills are written as soon as they are computed, on all cores.
                monthIssues = BillCalculator.Calculate(validated, (_, bills) => files.Write(bills));
            }
            else
            {
                // The month totals are checked by the engine first: a month that cannot be billed is not replayed.
                monthIssues = BillCalculator.Calculate(validated, (_, _) => { });
                if (monthIssues.Count == 0)
                {
                    // Through Kafka the bills are the pipeline's latest invoices.
                    await using var session = await KafkaSession.StartAsync(kafka.BootstrapServers, kafka.SchemaRegistryUrl, Topics.AllWithDeadLetters(), cancellationToken);
                    files.Write(await new KafkaBillReplay(session, stdout).RunAsync(read.Input, validated.Issues, cancellationToken));
                }
            }

            if (monthIssues.Count > 0)
            {
                // Not a row's fault, so --skip-invalid cannot skip it.
                stderr.WriteLine($"Cannot bill: {monthIssues.Count} customer month(s) exceed the largest billable amount; no bill was written.");
                foreach (var issue in monthIssues)
                {
                    stderr.WriteLine(issue.ToString());
                }

                return BadInputExitCode;
            }

            if (skipInvalid)
            {
                RejectsCsvWriter.Write(errors, files.StagedPath(InputFileNames.Rejects));
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
            stdout.WriteLine($"{errors.Count} row(s) rejected, listed in {Path.Combine(outputDir.FullName, InputFileNames.Rejects)}");
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
