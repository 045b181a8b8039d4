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

            Assert.Throws<IOException>(writer.Complete);
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
