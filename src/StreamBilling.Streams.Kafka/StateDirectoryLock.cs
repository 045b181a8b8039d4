namespace StreamBilling.Streams.Kafka;

/// <summary>
/// The exclusive hold of one instance on its state directory: a <c>.lock</c> file locked for as long as the instance
/// runs. The operating system releases the lock when the process dies, however it dies, so a directory whose lock can
/// be taken belongs to no live instance: that is what makes a leftover provably orphaned.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    private const string LockFileName = ".lock";
    private readonly FileStream _lock;

    private StateDirectoryLock(string directory, FileStream lockFile)
    {
        Directory = directory;
        _lock = lockFile;
    }

    /// <summary>Root of the temporary state directories of instances given no state directory.</summary>
    public static string TemporaryRoot { get; } = Path.Combine(Path.GetTempPath(), "streambilling-state");

    /// <summary>The locked directory.</summary>
    public string Directory { get; }

    /// <summary>Creates <paramref name="directory"/> if needed and locks it; throws if another live instance holds it.</summary>
    public static StateDirectoryLock Acquire(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        return TryLock(directory) ?? throw new KafkaStreamsException($"State directory '{directory}' is in use by another instance; give each instance its own (InstanceId).");
    }

    /// <summary>
    /// Deletes every <c>&lt;root&gt;/&lt;a&gt;/&lt;b&gt;</c> directory with a lock file no live instance holds (left by a killed
    /// process), then the emptied parents. Directories without a lock file are left alone: their instance may be starting.
    /// </summary>
    /// <returns>The directories deleted.</returns>
    public static IReadOnlyList<string> DeleteOrphans(string root)
    {
        var deleted = new List<string>();
        if (!System.IO.Directory.Exists(root))
        {
            return deleted;
        }

        foreach (var parent in System.IO.Directory.EnumerateDirectories(root))
        {
            foreach (var directory in System.IO.Directory.EnumerateDirectories(parent))
            {
                if (!File.Exists(Path.Combine(directory, LockFileName)) || TryLock(directory) is not { } orphan)
                {
                    continue;
                }

                // Temporary directories are named by a fresh instance id, so none is taken over between release and delete.
                orphan.Dispose();
                if (TryDelete(directory))
                {
                    deleted.Add(directory);
                }
            }

            DeleteIfEmpty(parent);
        }

        return deleted;
    }

    /// <summary>Releases the lock; with <paramref name="deleteDirectory"/> removes the directory and its parent if emptied.</summary>
    public void Release(bool deleteDirectory)
    {
        _lock.Dispose();
        if (deleteDirectory && TryDelete(Directory) && Path.GetDirectoryName(Directory) is { } parent)
        {
            DeleteIfEmpty(parent);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    private static StateDirectoryLock? TryLock(string directory)
    {
        try
        {
            // FileShare.None takes an exclusive lock (flock on Unix) that dies with the process.
            var file = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            return new StateDirectoryLock(directory, file);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            // Deleted concurrently by another sweep, or a file in it is still open: left for the next sweep.
            return false;
        }
    }

    private static void DeleteIfEmpty(string directory)
    {
        try
        {
            if (!System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            {
                System.IO.Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Another instance created something in it meanwhile: it is not empty after all.
        }
    }
}
