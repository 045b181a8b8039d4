using System.Text.RegularExpressions;
using StreamBilling.Contracts.Tests;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// No source file converts one enum into another through its number: <c>(PurchaseOption)(int)pricing</c> compiles, and
/// silently published every spot line as Reserved because the two enums list their members in different orders.
/// </summary>
public sealed partial class EnumCastGuardTests
{
    [Fact]
    public void Sources_HaveNoCastThroughIntBetweenEnums()
    {
        var source = Path.Combine(RepositoryPaths.Root, "src");
        var casts = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (Path: path, Line: index + 1, Text: line)))
            .Where(line => CastThroughInt().Match(line.Text) is { Success: true } cast && !BuiltIn.Contains(cast.Groups["type"].Value))
            .Select(line => $"{Path.GetRelativePath(RepositoryPaths.Root, line.Path)}:{line.Line}: {line.Text.Trim()}")
            .ToList();

        Assert.True(
            casts.Count == 0,
            "Enums cross from one type to another by name, never through (int): the two sides may order their members " +
            "differently. Map the pair with a switch by name in src/StreamBilling.Pipeline/Wire/WireEnums.cs (a member " +
            "without a counterpart throws) and add the pair to WireEnumsTests. Found:" + Environment.NewLine +
            string.Join(Environment.NewLine, casts));
    }

    [Theory]
    [InlineData("purchaseOption = (PurchaseOption)(int)instance.Pricing,", true)]
    [InlineData("os = (Events.Common.OperatingSystemType) (int)row.Os,", true)]
    [InlineData("var n = (long)(int)value;", false)]
    [InlineData("var n = (int)Math.Ceiling(x);", false)]
    public void Guard_RecognisesACastThroughInt(string line, bool flagged) =>
        Assert.Equal(flagged, CastThroughInt().Match(line) is { Success: true } cast && !BuiltIn.Contains(cast.Groups["type"].Value));

    private static readonly HashSet<string> BuiltIn = ["byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "char", "object", "nint", "nuint"];

    [GeneratedRegex(@"\(\s*(?<type>[A-Za-z_][\w.]*)\s*\)\s*\(\s*int\s*\)")]
    private static partial Regex CastThroughInt();
}
