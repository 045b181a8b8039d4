using System.CommandLine;
using StreamBilling.Billing;
using StreamBilling.Billing.Csv;

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
        var command = new Command("bill", "Compute monthly bills (CUSTID_MON-YYYY.csv) from usage, reservations and Elastic IPs.") { input, output, skipInvalid };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
            Task.FromResult(Run(pr.GetValue(input)!, pr.GetValue(output)!, pr.GetValue(skipInvalid), pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error)));
        return command;
    }

    private static int Run(DirectoryInfo inputDir, DirectoryInfo outputDir, bool skipInvalid, TextWriter stdout, TextWriter stderr)
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

        // Each customer's bills are written as soon as they are computed, on all cores.
        int written;
        try
        {
            using var files = new BillFileWriter(outputDir.FullName);
            BillCalculator.Calculate(validated, (_, bills) => files.Write(bills));
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

    /// <summary>The file-system error behind a failed write, also when it surfaced from a parallel loop.</summary>
    private static Exception? WriteFailure(Exception e) => e switch
    {
        IOException or UnauthorizedAccessException => e,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Select(WriteFailure).FirstOrDefault(f => f is not null),
        _ => null,
    };
}
