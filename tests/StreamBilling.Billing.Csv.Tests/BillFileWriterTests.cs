using System.Text;

namespace StreamBilling.Billing.Csv.Tests;

public sealed class BillFileWriterTests
{
    private static MonthlyBill Bill(string customer, int month, string name = "ABC Corporation") =>
        new(customer, name, new BillingMonth(2021, month), [new BillLine("", "t3.small", Pricing.OnDemand, 1, TimeSpan.FromHours(1), 1, 0, 0.0209m, 0.0209m, 0m)], []);

    [Fact]
    public async Task Write_ManyThreads_EveryBillInItsOwnFile()
    {
        using var folder = new TempFolder();
        var bills = Enumerable.Range(0, 2000).Select(i => Bill($"CUST{i:D4}", (i % 12) + 1)).ToList();

        using (var writer = new BillFileWriter(folder.Path))
        {
            await Parallel.ForEachAsync(bills, TestContext.Current.CancellationToken, (bill, _) =>
            {
                writer.Write(bill);
                return ValueTask.CompletedTask;
            });
            writer.Complete();
            Assert.Equal(2000, writer.FilesWritten);
        }

        Assert.Equal(2000, Directory.GetFiles(folder.Path).Length);
        Assert.All(bills.Where((_, i) => i % 97 == 0), bill =>
            Assert.Equal(BillCsvWriter.ToCsv(bill), File.ReadAllText(Path.Combine(folder.Path, BillFormat.FileName(bill)))));
    }

    /// <summary>Bills of different sizes: 1 to 40 lines, names that need quoting.</summary>
    private static MonthlyBill VariedBill(int i) =>
        new(
            $"CUST{i / 12:D5}",
            i % 5 == 0 ? $"Customer \"{i}\", Ltd" : $"Customer {i}",
            new BillingMonth(2021 + (i % 12 / 6), (i % 12) + 1),
            [.. Enumerable.Range(0, 1 + (i % 40)).Select(n => new BillLine("EU (Frankfurt)", "t3.small", n % 2 == 0 ? Pricing.OnDemand : Pricing.Reserved, n + 1, TimeSpan.FromSeconds(3601 * (n + 1)), n + 2, 0, 0.0209m * n, 0.0209m * n, 0m))],
            []);

    private static SortedDictionary<string, byte[]> Tree(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes), StringComparer.Ordinal);

    [Fact]
    public async Task Write_FourWriterThreads_SameFilesAsOneWriter()
    {
        using var folder = new TempFolder();
        var bills = Enumerable.Range(0, 3000).Select(VariedBill).ToList();
        foreach (var (name, threads) in new[] { ("one", 1), ("four", 4) })
        {
            using var writer = new BillFileWriter(folder.Sub(name), threads);
            await Parallel.ForEachAsync(bills.Chunk(12), TestContext.Current.CancellationToken, (customer, _) =>
            {
                writer.Write(customer);
                return ValueTask.CompletedTask;
            });
            writer.Complete();
            Assert.Equal(3000, writer.FilesWritten);
        }

        var one = Tree(folder.Sub("one"));
        var four = Tree(folder.Sub("four"));
        Assert.Equal(3000, one.Count);
        Assert.Equal(one.Keys, four.Keys);
        Assert.All(one, file => Assert.Equal(file.Value, four[file.Key]));
        Assert.All(bills, bill => Assert.Equal(BillCsvWriter.ToCsv(bill), Encoding.UTF8.GetString(one[BillFormat.FileName(bill)])));
    }

    [Fact]
    public void Complete_Durable_SameFilesIntoNewAndExistingFolder()
    {
        using var folder = new TempFolder().With("notes.txt", "kept");
        var bills = Enumerable.Range(0, 240).Select(VariedBill).ToList();
        foreach (var target in new[] { folder.Sub("new"), folder.Path })
        {
            using var writer = new BillFileWriter(target, durable: true);
            writer.Write(bills);
            writer.Complete();
        }

        Assert.Equal(240, Directory.GetFiles(folder.Sub("new")).Length);
        Assert.Equal(241, Directory.GetFiles(folder.Path).Length);
        Assert.All(bills, bill =>
        {
            Assert.Equal(BillCsvWriter.ToCsv(bill), File.ReadAllText(Path.Combine(folder.Sub("new"), BillFormat.FileName(bill))));
            Assert.Equal(BillCsvWriter.ToCsv(bill), File.ReadAllText(Path.Combine(folder.Path, BillFormat.FileName(bill))));
        });
    }

    [Fact]
    public void Write_SameBillTwice_LaterReplacesEarlierWithoutLeftoverBytes()
    {
        using var folder = new TempFolder();
        var longer = VariedBill(39);
        var shorter = longer with { Lines = [longer.Lines[0]] };

        using (var writer = new BillFileWriter(folder.Path, writerThreads: 1))
        {
            writer.Write(longer);
            writer.Write(shorter);
            writer.Complete();
        }

        Assert.Equal(BillCsvWriter.ToCsv(shorter), File.ReadAllText(folder.Sub(BillFormat.FileName(shorter))));
    }

    [Fact]
    public void Complete_FileNameTooLong_ErrorNamesTheFile()
    {
        using var folder = new TempFolder();
        var customer = "CUST" + new string('9', 300);
        using var writer = new BillFileWriter(folder.Sub("bills"));
        writer.Write(Bill("CUST001", 8));
        writer.Write(Bill(customer, 8));

        var error = Assert.Throws<IOException>(writer.Complete);

        Assert.Contains($"Cannot write bill file {customer}_AUG-2021.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Sub("bills"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FileFromEarlierRun_ReplacedWithoutLeftoverBytes()
    {
        using var folder = new TempFolder();
        var bill = Bill("CUST001", 8);
        var path = Path.Combine(folder.Path, BillFormat.FileName(bill));
        File.WriteAllText(path, new string('x', 10_000));

        using var writer = new BillFileWriter(folder.Path);
        writer.Write(bill);
        writer.Complete();

        Assert.Equal(BillCsvWriter.ToCsv(bill), File.ReadAllText(path));
    }

    [Fact]
    public void Complete_FileCannotBeCreated_ThrowsIOExceptionAndLeavesNothing()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "bills");
        using (var writer = new BillFileWriter(target))
        {
            writer.Write(Bill("CUST001", 8));

            // A customer ID with a folder separator names a file in a folder that does not exist.
            writer.Write(Bill("CUST/002", 8));

            var error = Assert.Throws<IOException>(writer.Complete);
            Assert.Contains("CUST/002_AUG-2021.csv", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Dispose_WithoutComplete_NothingWrittenAndNoStagingLeft()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "bills");

        using (var writer = new BillFileWriter(target))
        {
            writer.Write([Bill("CUST001", 7), Bill("CUST001", 8), Bill("CUST002", 8)]);

            // The caller fails after some bills were handed over (a bad month, an exception): it never completes.
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Dispose_WithoutCompleteIntoExistingFolder_OnlyTheEarlierFilesRemain()
    {
        using var folder = new TempFolder().With("CUST001_AUG-2021.csv", "earlier run");

        using (var writer = new BillFileWriter(folder.Path))
        {
            writer.Write([Bill("CUST001", 8), Bill("CUST002", 8)]);
        }

        Assert.Equal(["CUST001_AUG-2021.csv"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal("earlier run", File.ReadAllText(folder.Sub("CUST001_AUG-2021.csv")));
    }

    [Fact]
    public void Complete_TargetHoldsOtherFiles_BillsAndStagedFileMovedInOthersKept()
    {
        using var folder = new TempFolder().With("notes.txt", "kept");
        using var writer = new BillFileWriter(folder.Path);
        writer.Write(Bill("CUST001", 8));
        File.WriteAllText(writer.StagedPath("rejects.csv"), "File,Line,Reason,Raw Row\n");

        Assert.False(File.Exists(folder.Sub("CUST001_AUG-2021.csv")), "nothing appears before Complete");
        writer.Complete();

        Assert.Equal(
            ["CUST001_AUG-2021.csv", "notes.txt", "rejects.csv"],
            Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_TargetIsAFile_ThrowsIOException()
    {
        using var folder = new TempFolder().With("taken", "a file");

        Assert.Throws<IOException>(() => new BillFileWriter(folder.Sub("taken")));
    }
}
