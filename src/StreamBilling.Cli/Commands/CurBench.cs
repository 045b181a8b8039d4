using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Cur;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling bench cur</c>: generates a CUR export (default 1,000,000 line items over 3 periods, CSV.gz) and
/// times its import into a fresh DuckDB store: rows/s, wall time, CPU time and the peak resident memory of the import
/// (Linux: the peak is reset before the import, so the generator's memory does not count).
/// </summary>
internal sealed class CurBench : IBenchCommand
{
    public Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Line items over all periods.", DefaultValueFactory = _ => 1_000_000 };
        var months = new Option<int>("--months") { Description = "Billing periods.", DefaultValueFactory = _ => 3 };
        var version = new Option<string>("--version") { Description = "v1 or v2 layout.", DefaultValueFactory = _ => "v1" };
        var format = new Option<string>("--format") { Description = "csv (gzip) or parquet.", DefaultValueFactory = _ => "csv" };
        var rowsPerFile = new Option<int>("--rows-per-file") { Description = "Line items per report file.", DefaultValueFactory = _ => 250_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated export.", DefaultValueFactory = _ => 1 };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Folder for the export and the store (default: the system temp folder)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the export and the store." };
        var command = new Command("cur", "Generate a CUR export and time its manifest-first import into DuckDB (rows/s, wall, CPU, peak memory).")
        {
            rows, months, version, format, rowsPerFile, seed, dir, keep,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(
            pr.GetValue(rows), pr.GetValue(months), pr.GetValue(version)!, pr.GetValue(format)!, pr.GetValue(rowsPerFile), pr.GetValue(seed), pr.GetValue(dir)?.FullName ?? Path.GetTempPath(), pr.GetValue(keep), ct));
        return command;
    }

    private static async Task<int> RunAsync(long rowCount, int monthCount, string versionName, string formatName, int rowsPerFile, int seed, string workDir, bool keep, CancellationToken ct)
    {
        if (formatName is not ("csv" or "parquet") || versionName is not ("v1" or "v2") || monthCount < 1 || rowCount < monthCount || rowsPerFile < 1)
        {
            await Console.Error.WriteLineAsync("--format is csv or parquet, --version v1 or v2; --months at least 1, --rows at least --months, --rows-per-file at least 1.");
            return 2;
        }

        var root = Path.Combine(workDir, "streambilling-bench-cur-" + Guid.NewGuid().ToString("N")[..8]);
        var bucket = Path.Combine(root, "bucket");
        var db = Path.Combine(root, "usage.duckdb");
        var version = CurVersions.Parse(versionName);
        try
        {
            var options = new CurSampleOptions(bucket, version, new BillingMonth(2024, 5), monthCount, rowCount, seed)
            {
                Format = formatName == "parquet" ? CurFileFormat.Parquet : CurFileFormat.CsvGzip,
                RowsPerFile = rowsPerFile,
            };
            var generate = Stopwatch.StartNew();
            var sample = await CurSampleGenerator.GenerateAsync(options, TextWriter.Null, ct);
            var bytes = Directory.GetFiles(bucket, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {sample.Rows:N0} rows ({versionName}, {formatName}, {monthCount} periods + a superseded version of the last) in {sample.ReportFiles} files, {bytes / (1024.0 * 1024.0):N0} MiB, in {generate.Elapsed.TotalSeconds:F2} s ({root})"));

            var resetPeak = TryResetPeakMemory();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            IReadOnlyList<CurPeriodImport> imports;
            await using (var store = await CurStore.OpenAsync(db, TimeProvider.System, ct))
            {
                await using var source = CurSources.Local(bucket);
                imports = await new CurImporter(store, source, TimeProvider.System, Console.Out).ImportAsync(options.ExportName, version, null, null, ct);
            }

            var elapsed = wall.Elapsed;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var imported = imports.Sum(i => i.Record.RowCount);
            var peak = PeakMemoryMiB(process);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imported {imported:N0} rows in {imports.Count} periods: {imported / elapsed.TotalSeconds:N0} rows/s, wall {elapsed.TotalSeconds:F2} s, CPU {cpu.TotalSeconds:F2} s ({cpu / elapsed:F2} cores), peak memory {peak:N0} MiB{(resetPeak ? " (import only)" : " (whole process)")}; store {new FileInfo(db).Length / (1024.0 * 1024.0):N0} MiB; {Environment.ProcessorCount} cores, load {LoadAverage()}"));
            return imported == sample.Rows ? 0 : 1;
        }
        finally
        {
            if (!keep && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Linux resets the process's peak resident set (VmHWM) when 5 is written to clear_refs.</summary>
    private static bool TryResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident memory: VmHWM where /proc has it (it counts DuckDB's native memory), else the peak working set.</summary>
    private static double PeakMemoryMiB(Process process)
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kib))
            {
                return kib / 1024.0;
            }
        }

        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
