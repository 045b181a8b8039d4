using System.CommandLine;
using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Cur;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling cur list-manifests|import|generate|reconcile|accounts</c>: AWS Cost and Usage Report exports
/// (<see cref="CurImporter"/>, docs/cur.md).
/// </summary>
internal sealed class CurCommand : ICliCommand
{
    public Command Create()
    {
        var cur = new Command("cur", "AWS Cost and Usage Report exports: list, import into the store, generate samples, reconcile with the pipeline.");
        cur.Subcommands.Add(ListManifests());
        cur.Subcommands.Add(Import());
        cur.Subcommands.Add(Generate());
        cur.Subcommands.Add(Reconcile());
        cur.Subcommands.Add(Accounts());
        return cur;
    }

    private static Command ListManifests()
    {
        var export = new ExportOptions();
        var command = new Command("list-manifests", "The export's manifests in the source (one per billing period): key, manifest version, report files.");
        export.AddTo(command);
        SetAction(command, async (pr, io, ct) =>
        {
            var (name, version, from, to) = export.Read(pr);
            await using var source = export.OpenSource(pr);
            var manifests = await new CurManifestLocator(source, name, version).ListAsync(from, to, ct);
            await io.Output.WriteLineAsync($"{"period",-8} {"manifest id",-38} {"files",5}  key");
            foreach (var location in manifests)
            {
                var manifest = CurManifest.Parse(location.Key, version, await source.ReadTextAsync(location.Key, ct));
                await io.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{location.BillingPeriod,-8} {manifest.Id,-38} {manifest.ReportKeys.Count,5}  {location.Key}"));
            }

            await io.Error.WriteLineAsync($"{manifests.Count} {CurVersions.Name(version)} manifest(s) of '{name}' in {source.Description}");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var export = new ExportOptions();
        var db = DbOption();
        var command = new Command("import", "Manifest-first import: each manifest in the range replaces its billing period in the store, in one transaction.") { db };
        export.AddTo(command);
        SetAction(command, async (pr, io, ct) =>
        {
            var (name, version, from, to) = export.Read(pr);
            await using var source = export.OpenSource(pr);
            await using var store = await CurStore.OpenAsync(pr.GetValue(db)!, TimeProvider.System, ct);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var imports = await new CurImporter(store, source, TimeProvider.System, io.Output).ImportAsync(name, version, from, to, ct);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var rows = imports.Sum(i => i.Record.RowCount);
            await io.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"imported {imports.Count} period(s), {rows:N0} rows in {elapsed.TotalSeconds:F1} s ({rows / Math.Max(elapsed.TotalSeconds, 0.001):N0} rows/s) into {store.Path}; query the view cur_line_items"));
            return 0;
        });
        return command;
    }

    private static Command Generate()
    {
        var output = new Option<string>("--out") { Description = "Folder that plays the bucket (created).", Required = true };
        var version = new Option<string>("--version") { Description = "v1 (legacy CUR layout) or v2 (CUR 2.0 data exports).", DefaultValueFactory = _ => "v1" };
        var months = new Option<int>("--months") { Description = "Billing periods.", DefaultValueFactory = _ => 3 };
        var rows = new Option<long>("--rows") { Description = "Line items over all periods (the superseded first version of the last period adds half a period).", DefaultValueFactory = _ => 30_000 };
        var seed = new Option<int>("--seed") { Description = "The same seed writes the same export.", DefaultValueFactory = _ => 1 };
        var from = new Option<string>("--from") { Description = "First billing period, yyyy-MM.", DefaultValueFactory = _ => "2024-05" };
        var format = new Option<string>("--format") { Description = "csv (gzip-compressed, CUR's default) or parquet.", DefaultValueFactory = _ => "csv" };
        var exportName = new Option<string>("--export-name") { Description = "Export (report) name.", DefaultValueFactory = _ => "streambilling-cur" };
        var prefix = new Option<string>("--prefix") { Description = "Key prefix in front of the export name.", DefaultValueFactory = _ => "cur" };
        var rowsPerFile = new Option<int>("--rows-per-file") { Description = "At most this many line items per report file.", DefaultValueFactory = _ => 250_000 };
        var command = new Command("generate", "Write a realistic sample export laid out like the bucket, with a superseded manifest version for the last period.")
        {
            output, version, months, rows, seed, from, format, exportName, prefix, rowsPerFile,
        };
        SetAction(command, async (pr, io, ct) =>
        {
            var options = new CurSampleOptions(pr.GetValue(output)!, CurVersions.Parse(pr.GetValue(version)), ParsePeriod("--from", pr.GetValue(from))!.Value, pr.GetValue(months), pr.GetValue(rows), pr.GetValue(seed))
            {
                Format = ParseFormat(pr.GetValue(format)),
                ExportName = pr.GetValue(exportName)!,
                Prefix = pr.GetValue(prefix)!,
                RowsPerFile = pr.GetValue(rowsPerFile),
            };
            if (options.Months < 1 || options.Rows < options.Months || options.RowsPerFile < 1)
            {
                throw new CurImportException("--months must be at least 1, --rows at least --months, --rows-per-file at least 1.");
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var sample = await CurSampleGenerator.GenerateAsync(options, io.Output, ct);
            await io.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {sample.Rows:N0} current rows in {sample.ReportFiles} report file(s) and {sample.ManifestKeys.Count} manifest(s) in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s under {Path.GetFullPath(options.OutputFolder)}"));
            await io.Output.WriteLineAsync($"superseded manifest (first version of the last period): {sample.SupersededManifestKey}");
            await io.Output.WriteLineAsync($"account map for 'cur accounts --map': {sample.AccountMapPath}");
            return 0;
        });
        return command;
    }

    private static Command Reconcile()
    {
        var month = new Option<string>("--month") { Description = "Billing period, yyyy-MM.", Required = true };
        var db = DbOption();
        var command = new Command("reconcile", "A month's CUR cost (EC2, CloudFront) per customer and service against the pipeline's priced figures in the store.") { month, db };
        SetAction(command, async (pr, io, ct) =>
        {
            var period = ParsePeriod("--month", pr.GetValue(month))!.Value;
            var path = pr.GetValue(db)!;
            if (!File.Exists(path))
            {
                throw new CurImportException($"No store at {path}.");
            }

            await using var store = await CurStore.OpenAsync(path, TimeProvider.System, ct);
            var lines = await CurReconciliation.CompareAsync(store, period, ct);
            await io.Output.WriteLineAsync($"{period}: CUR unblended cost of usage line items (Usage, DiscountedUsage, RIFee) vs the pipeline's priced figures (daily_usage)");
            await io.Output.WriteLineAsync($"{"customer",-14} {"service",-7} {"cur cost",16} {"pipeline cost",16} {"difference",16}  cur accounts");
            foreach (var line in lines)
            {
                await io.Output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{line.CustomerId ?? "(unmapped)",-14} {line.Service,-7} {line.CurCost,16:0.000000} {line.PipelineCost,16:0.000000} {line.Difference,16:0.000000}  {line.CurAccounts}"));
            }

            var differing = lines.Count(l => Math.Abs(l.Difference) >= 0.01m);
            await io.Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"total: cur {lines.Sum(l => l.CurCost):0.000000}, pipeline {lines.Sum(l => l.PipelineCost):0.000000}, difference {lines.Sum(l => l.Difference):0.000000}; {differing} of {lines.Count} line(s) differ by 0.01 or more; {lines.Count(l => l.CustomerId is null)} unmapped CUR account line(s)"));
            return 0;
        });
        return command;
    }

    private static Command Accounts()
    {
        var map = new Option<string>("--map") { Description = "CSV with the header cur_account_id,customer_id; replaces the whole map.", Required = true };
        var db = DbOption();
        var command = new Command("accounts", "Load the map of CUR usage accounts to customer accounts that reconcile uses.") { map, db };
        SetAction(command, async (pr, io, ct) =>
        {
            await using var store = await CurStore.OpenAsync(pr.GetValue(db)!, TimeProvider.System, ct);
            var count = await store.ReplaceAccountMapAsync(pr.GetValue(map)!, ct);
            await io.Output.WriteLineAsync($"{count} CUR account(s) mapped in {store.Path}");
            return 0;
        });
        return command;
    }

    private static Option<string> DbOption() =>
        new("--db") { Description = "DuckDB store file (the host's; it must not be running).", DefaultValueFactory = _ => UsageStores.DefaultDuckDbPath };

    /// <summary>Sets a subcommand's action: a bad export, store or option is one line on stderr and exit code 1, never a stack trace.</summary>
    private static void SetAction(Command command, Func<ParseResult, Io, CancellationToken, Task<int>> run) =>
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var io = Io.Of(pr);
            try
            {
                return await run(pr, io, ct);
            }
            catch (Exception e) when (e is CurImportException or UsageStoreLockedException or UsageStoreSchemaException)
            {
                await io.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });

    private static BillingMonth? ParsePeriod(string option, string? text) =>
        text is null ? null
        : BillingMonthText.TryParse(text, out var period) ? period
        : throw new CurImportException($"{option} must be a billing period yyyy-MM (e.g. 2024-07), not '{text}'.");

    private static CurFileFormat ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        "csv" or "csv.gz" => CurFileFormat.CsvGzip,
        "parquet" => CurFileFormat.Parquet,
        _ => throw new CurImportException($"--format must be csv or parquet, not '{text}'."),
    };

    /// <summary>The options naming an export in a source, shared by list-manifests and import.</summary>
    private sealed class ExportOptions
    {
        private readonly Option<string> _source = new("--source") { Description = "A folder laid out like the bucket, or s3://bucket[/prefix].", Required = true };
        private readonly Option<string> _exportName = new("--export-name") { Description = "The export (report) name.", Required = true };
        private readonly Option<string> _version = new("--version") { Description = "v1 (legacy CUR) or v2 (CUR 2.0 data exports).", DefaultValueFactory = _ => "v1" };
        private readonly Option<string?> _from = new("--from") { Description = "First billing period, yyyy-MM (inclusive)." };
        private readonly Option<string?> _to = new("--to") { Description = "Last billing period, yyyy-MM (inclusive)." };

        private readonly Option<string?> _s3Endpoint = new("--s3-endpoint")
        {
            Description = "S3-compatible endpoint for s3:// sources (MinIO, LocalStack), e.g. http://localhost:9000. Default: $AWS_ENDPOINT_URL_S3, else $AWS_ENDPOINT_URL, else AWS.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"),
        };

        private readonly Option<string> _s3Region = new("--s3-region")
        {
            Description = "Region for s3:// sources. Default: $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1. Credentials: the AWS SDK's default chain.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1",
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _source, _exportName, _version, _from, _to, _s3Endpoint, _s3Region })
            {
                command.Options.Add(option);
            }
        }

        public (string Name, CurVersion Version, BillingMonth? From, BillingMonth? To) Read(ParseResult pr)
        {
            var from = ParsePeriod("--from", pr.GetValue(_from));
            var to = ParsePeriod("--to", pr.GetValue(_to));
            if (from > to)
            {
                throw new CurImportException($"--from {from} is after --to {to}.");
            }

            return (pr.GetValue(_exportName)!, CurVersions.Parse(pr.GetValue(_version)), from, to);
        }

        public ICurSource OpenSource(ParseResult pr)
        {
            var endpoint = pr.GetValue(_s3Endpoint);
            if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            {
                throw new CurImportException($"--s3-endpoint must be an absolute URL (http://host:port), not '{endpoint}'.");
            }

            return CurSources.Open(pr.GetValue(_source)!, new CurS3Options(string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint), pr.GetValue(_s3Region)!));
        }
    }

    /// <summary>Where the command writes: the invocation's writers (tests capture them).</summary>
    private sealed record Io(TextWriter Output, TextWriter Error)
    {
        public static Io Of(ParseResult pr) => new(pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error);
    }
}
