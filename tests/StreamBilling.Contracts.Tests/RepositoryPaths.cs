namespace StreamBilling.Contracts.Tests;

/// <summary>Locates the repository's schemas/ and infra/ folders from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Schemas => Path.Combine(Root, "schemas");

    /// <summary>Test-only schemas covering every construct the Avro binary code generator handles.</summary>
    public static string ShapeSchemas => Path.Combine(Root, "tests", "StreamBilling.Contracts.Tests", "Shapes");

    public static string TopicsJson => Path.Combine(Root, "infra", "topics.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamBilling.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamBilling.sln not found above " + AppContext.BaseDirectory);
    }
}
