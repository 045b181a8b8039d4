using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using StreamBilling.Billing;
using StreamBilling.Billing.Csv;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling bench bill</c>: reads, bills and writes a generated input of a million usage rows.</summary>
internal sealed class BillBench : IBenchCommand
{
    private static readonly string[] Regions = ["US (Ohio)", "Asia (Mumbai)", "Middle East", "EU (Frankfurt)"];
    private static readonly string[] Types = ["t2.micro", "t3.micro", "t3.small", "t3.medium", "m5.large"];

    public Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Usage rows to generate.", DefaultValueFactory = _ => 1_000_000 };
        var customers = new Option<int>("--customers") { Description = "Customers to spread them over.", DefaultValueFactory = _ => 10_000 };
        var months = new Option<int>("--months") { Description = "Months the usage spans.", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the generated input.", DefaultValueFactory = _ => 42 };
        var writers = new Option<int>("--writers")
        {
            Description = "Threads creating the bill files (0: the default, 1).",
            DefaultValueFactory = _ => 0,
        };
        var durable = new Option<bool>("--durable") { Description = "As bill --durable: the bills are on the disk when the timing stops." };
        var keep = new Option<bool>("--keep") { Description = "Keep the generated input and the bills instead of deleting them." };
        var dir = new Option<DirectoryInfo?>("--dir")
        {
            Description = "Folder for the generated input and the bills (default: the system temp folder). File creation dominates: "
                + "on ext4 without a journal, creating files where many were deleted in the last minutes is several times slower; /dev/shm measures without disk.",
        };
        var command = new Command("bill", "Time reading + billing + writing of generated input (bill engine and CSV files).") { rows, customers, months, seed, writers, durable, keep, dir };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
            Task.FromResult(Run(pr.GetValue(rows), pr.GetValue(customers), pr.GetValue(months), pr.GetValue(seed), pr.GetValue(writers), pr.GetValue(durable), pr.GetValue(keep), pr.GetValue(dir)?.FullName ?? Path.GetTempPath())));
        return command;
    }

    private static int Run(int rowCount, int customerCount, int monthCount, int seed, int writerThreads, bool durable, bool keep, string workDir)
    {
        var root = Path.Combine(workDir, "streambilling-bench-bill-" + Guid.NewGuid().ToString("N")[..8]);
        var input = Path.Combine(root, "input");
        var output = Path.Combine(root, "bills");
        Directory.CreateDirectory(input);
        try
        {
            var generate = Stopwatch.StartNew();
            Generate(input, rowCount, customerCount, monthCount, seed);
            Console.WriteLine($"generated {rowCount:N0} usage rows, {customerCount:N0} customers, {monthCount} months in {generate.Elapsed.TotalSeconds:F2} s ({input})");

            // Start measuring from a clean heap so the generator's garbage does not count.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var total = Stopwatch.StartNew();

            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            TimeSpan CpuSince()
            {
                process.Refresh();
                var now = process.TotalProcessorTime;
                var used = now - cpu;
                cpu = now;
                return used;
            }

            var phase = Stopwatch.StartNew();
            var read = BillInputReader.Read(input);
            var readTime = phase.Elapsed;
            var readCpu = CpuSince();

            phase.Restart();
            var validated = BillCalculator.Validate(read.Input);
            var validateTime = phase.Elapsed;
            var validateCpu = CpuSince();

            // Billing and writing overlap, as in `bill`: each customer's bills are written as soon as they are computed.
            phase.Restart();
            using var files = new BillFileWriter(output, writerThreads, durable);
            var bills = 0;
            var actualTotal = 0m;
            var totalLock = new Lock();
            var monthIssues = BillCalculator.Calculate(validated, (_, customerBills) =>
            {
                files.Write(customerBills);
                var sum = 0m;
                foreach (var bill in customerBills)
                {
                    sum += bill.ActualAmount;
                }

                lock (totalLock)
                {
                    bills += customerBills.Count;
                    actualTotal += sum;
                }
            });
            files.Complete();
            var billTime = phase.Elapsed;
            var billCpu = CpuSince();
            total.Stop();

            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var errors = read.FileErrors.Count + read.RowErrors.Count + validated.Issues.Count + monthIssues.Count;
            Console.WriteLine($"read           {readTime.TotalSeconds,7:F3} s  ({read.Input.Usage.Count:N0} usage rows, {read.Input.Usage.Count / readTime.TotalSeconds:N0} rows/s, cpu {readCpu.TotalSeconds:F3} s)");
            Console.WriteLine($"validate       {validateTime.TotalSeconds,7:F3} s  (cpu {validateCpu.TotalSeconds:F3} s)");
            Console.WriteLine($"bill + write   {billTime.TotalSeconds,7:F3} s  ({bills:N0} bills, {bills / billTime.TotalSeconds:N0} files/s, cpu {billCpu.TotalSeconds:F3} s, {(writerThreads == 0 ? BillFileWriter.DefaultWriterThreads : writerThreads)} writer threads{(durable ? ", durable" : "")})");
            Console.WriteLine($"total          {total.Elapsed.TotalSeconds,7:F3} s  ({rowCount / total.Elapsed.TotalSeconds:N0} rows/s end to end; load average {LoadAverage()})");
            Console.WriteLine($"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):N0} MiB; allocated {allocated / (1024.0 * 1024.0):N0} MiB; input errors {errors}; cores {Environment.ProcessorCount}");
            if (errors > 0)
            {
                Console.Error.WriteLine("The generated input should be valid; the figures above are not representative.");
            }

            return Verify(output, bills, files, actualTotal) ? 0 : 1;
        }
        finally
        {
            if (keep)
            {
                Console.WriteLine($"kept {root}");
            }
            else
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>
    /// Reads every bill file back (untimed): their number, their bytes and the sum of their printed Actual Amount must
    /// match what was computed, so a fast path that skips or garbles files cannot go unnoticed.
    /// </summary>
    private static bool Verify(string output, int bills, BillFileWriter files, decimal actualTotal)
    {
        var count = 0;
        long bytes = 0;
        var printedTotal = 0m;
        foreach (var path in Directory.EnumerateFiles(output))
        {
            count++;
            bytes += new FileInfo(path).Length;
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("Actual Amount,$", StringComparison.Ordinal))
                {
                    printedTotal += decimal.Parse(line.AsSpan("Actual Amount,$".Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                    break;
                }
            }
        }

        var ok = count == bills && files.FilesWritten == bills && bytes == files.BytesWritten && printedTotal == actualTotal;
        Console.WriteLine($"verify: {count:N0} files ({files.FilesWritten:N0} written, {bills:N0} bills), {bytes:N0} bytes, "
            + $"printed Actual Amount total ${printedTotal:N4} vs computed ${actualTotal:N4}: {(ok ? "OK" : "MISMATCH")}");
        return ok;
    }

    /// <summary>A deterministic input: each customer has a few instances with a fixed type, region and OS.</summary>
    internal static void Generate(string dir, int rowCount, int customerCount, int monthCount, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var spanSeconds = (long)(start.AddMonths(monthCount) - start).TotalSeconds;
        const int InstancesPerCustomer = 8;

        using (var w = Writer(dir, InputFileNames.Customers))
        {
            w.Write("Sr No,Customer ID,Customer Name\n");
            for (var c = 0; c < customerCount; c++)
            {
                w.Write(Invariant($"{c + 1},CUST-{c:D6},Customer {c:D6} Ltd\n"));
            }
        }

        using (var w = Writer(dir, InputFileNames.ResourceTypes))
        {
            w.Write("Sr No,Instance Type,Charge/Hour (OnDemand),Charge/Hour (Reserved),Region\n");
            var n = 0;
            for (var t = 0; t < Types.Length; t++)
            {
                for (var r = 0; r < Regions.Length; r++)
                {
                    var onDemand = 0.0104m * (t + 1) + (0.0008m * r);
                    w.Write(Invariant($"{++n},{Types[t]},${onDemand:0.0000},{onDemand * 0.8m:0.0000},{Regions[r]}\n"));
                }
            }
        }

        using (var w = Writer(dir, InputFileNames.FreeTier))
        {
            w.Write("Region,Free Tier Eligible\n");
            for (var r = 0; r < Regions.Length; r++)
            {
                w.Write($"{Regions[r]},{(r == 2 ? "t2.micro" : "t3.micro")}\n");
            }
        }

        using (var w = Writer(dir, InputFileNames.OnDemandUsage))
        {
            w.Write("Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n");
            for (var i = 0; i < rowCount; i++)
            {
                var c = random.Next(customerCount);
                var k = random.Next(InstancesPerCustomer);
                var shape = (c * 31) + (k * 7);
                var from = start.AddSeconds(random.NextInt64(spanSeconds));
                var bucket = random.Next(100);
                var seconds = bucket < 70 ? random.Next(60, 8 * 3600) : bucket < 95 ? random.Next(8 * 3600, 3 * 86400) : random.Next(3 * 86400, 40 * 86400);
                w.Write(Invariant($"{i + 1},CUST{c:D6},i-{c:D6}-{k},{Types[shape % Types.Length]},{from:yyyy-MM-ddTHH:mm:ss},{from.AddSeconds(seconds):yyyy-MM-ddTHH:mm:ss},{Regions[(shape / 5) % Regions.Length]},{(k % 3 == 0 ? "Windows" : "Linux")}\n"));
            }
        }

        using (var w = Writer(dir, InputFileNames.ReservedInstances))
        {
            w.Write("Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Start Date,End Date,Region,OS\n");
            for (var c = 0; c < customerCount; c += 20)
            {
                var first = start.AddMonths(random.Next(Math.Max(1, monthCount - 12)));
                var last = first.AddMonths(12).AddDays(-1);
                w.Write(Invariant($"{c + 1},CUST{c:D6},r-{c:D6},t3.small,{first:yyyy-MM-dd},{last:yyyy-MM-dd},{Regions[c % Regions.Length]},Linux\n"));
            }
        }

        using (var alloc = Writer(dir, InputFileNames.ElasticIpAllocations))
        using (var assoc = Writer(dir, InputFileNames.ElasticIpAssociations))
        {
            alloc.Write("Customer,Region,Elastic IP,Used From,Used Until,Your own IP?\n");
            assoc.Write("IP Address,EC2 Instance,Associated From,Associated Until\n");
            for (var c = 0; c < customerCount; c += 10)
            {
                var ip = Invariant($"52.{c / 65536 % 256}.{c / 256 % 256}.{c % 256}");
                var from = start.AddSeconds(random.NextInt64(spanSeconds - (60 * 86400)));
                var until = from.AddSeconds(random.Next(3 * 3600, 60 * 86400));
                alloc.Write(Invariant($"CUST{c:D6},{Regions[c % Regions.Length]},{ip},{from:yyyy-MM-ddTHH:mm:ss},{until:yyyy-MM-ddTHH:mm:ss},{(c % 50 == 0 ? "Yes" : "No")}\n"));
                assoc.Write(Invariant($"{ip},i-{c:D6}-0,{from.AddHours(1):yyyy-MM-ddTHH:mm:ss},{until.AddHours(-1):yyyy-MM-ddTHH:mm:ss}\n"));
            }
        }

        using (var w = Writer(dir, InputFileNames.ElasticIpRates))
        {
            w.Write("Region,Rate/Hour\n");
            foreach (var region in Regions)
            {
                w.Write($"{region},$0.005\n");
            }
        }
    }

    /// <summary>The 1-minute load average on Linux, so figures taken on a busy machine can be told apart.</summary>
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

    private static StreamWriter Writer(string dir, string name) =>
        new(Path.Combine(dir, name), false, new UTF8Encoding(false), 1 << 16);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
