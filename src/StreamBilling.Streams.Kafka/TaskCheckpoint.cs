using System.Globalization;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The <c>.checkpoint</c> file of a task's persistent stores: per changelog, the offset of its last commit marker, written
/// on a clean close (<see cref="ChangelogRestorer.CheckpointOffset"/>); the next owner restores from there. A task
/// directory without one may hold uncommitted changes (the process died), so it is wiped and restored in full.
/// </summary>
internal static class TaskCheckpoint
{
    private const string FileName = ".checkpoint";

    /// <summary>
    /// Reads and removes the checkpoint (from now on the directory is dirty until the next clean close); wipes a dirty
    /// directory, and one whose checkpoint <paramref name="isInChangelog"/> rejects for any changelog (the changelog
    /// no longer holds that offset: recreated, e.g. a fresh embedded cluster, or truncated), whose stores would hold
    /// state the changelog does not.
    /// </summary>
    public static Dictionary<string, long> TakeOver(string taskDirectory, Func<string, long, bool> isInChangelog)
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var path = Path.Combine(taskDirectory, FileName);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var split = line.LastIndexOf(' ');
                if (split > 0 && long.TryParse(line.AsSpan(split + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    offsets[line[..split]] = offset;
                }
            }

            File.Delete(path);
            if (offsets.All(o => isInChangelog(o.Key, o.Value)))
            {
                return offsets;
            }

            offsets.Clear();
        }

        if (Directory.Exists(taskDirectory))
        {
            Directory.Delete(taskDirectory, recursive: true);
        }

        return offsets;
    }

    /// <summary>Records that the stores in <paramref name="taskDirectory"/> match their changelogs up to these offsets.</summary>
    public static void Write(string taskDirectory, IReadOnlyDictionary<string, long> changelogEndOffsets)
    {
        Directory.CreateDirectory(taskDirectory);
        var temporary = Path.Combine(taskDirectory, FileName + ".tmp");
        File.WriteAllLines(temporary, changelogEndOffsets.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value}")));
        File.Move(temporary, Path.Combine(taskDirectory, FileName), overwrite: true);
    }
}
