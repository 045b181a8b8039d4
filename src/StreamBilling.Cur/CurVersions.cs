namespace StreamBilling.Cur;

/// <summary>Reads and writes <see cref="CurVersion"/> as the command line spells it (<c>v1</c>, <c>v2</c>).</summary>
public static class CurVersions
{
    /// <summary>The version <paramref name="text"/> names.</summary>
    /// <exception cref="CurImportException">Neither <c>v1</c> nor <c>v2</c>.</exception>
    public static CurVersion Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "v1" or "1" => CurVersion.V1,
        "v2" or "2" => CurVersion.V2,
        _ => throw new CurImportException($"Unknown CUR version '{text}': StreamBilling reads v1 (legacy Cost and Usage Reports) and v2 (CUR 2.0 data exports)."),
    };

    /// <summary><c>v1</c> or <c>v2</c>.</summary>
    public static string Name(CurVersion version) => version == CurVersion.V1 ? "v1" : "v2";
}
