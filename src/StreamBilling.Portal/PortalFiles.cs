using System.Reflection;

namespace StreamBilling.Portal;

/// <summary>The portal's files, embedded as resources named <c>portal/&lt;path&gt;</c>, read once.</summary>
internal sealed class PortalFiles(IReadOnlyDictionary<string, byte[]> files)
{
    private const string Prefix = "portal/";

    public static PortalFiles Load(Assembly assembly)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // RecursiveDir in the resource name uses the build machine's separator.
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..]] = copy.ToArray();
        }

        return new PortalFiles(files);
    }

    /// <summary>The file at <paramref name="path"/> (relative, '/'-separated), or null; never a path outside the set.</summary>
    public byte[]? Find(string path) => files.TryGetValue(path, out var content) ? content : null;
}
