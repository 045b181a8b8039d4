namespace StreamBilling.Billing.Csv.Tests;

/// <summary>A fresh folder per test, removed afterwards (also linked into the CLI tests).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sb-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public TempFolder With(string fileName, string content)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), content.ReplaceLineEndings("\n"));
        return this;
    }

    /// <summary>A file with exactly these bytes (for input that is not valid UTF-8).</summary>
    public TempFolder WithBytes(string fileName, byte[] content)
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, fileName), content);
        return this;
    }

    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(System.IO.Path.Combine(dir.FullName, "samples")))
        {
            dir = dir.Parent;
        }

        return System.IO.Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
