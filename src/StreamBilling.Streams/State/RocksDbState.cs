using RocksDbSharp;

namespace StreamBilling.Streams;

/// <summary>
/// How the RocksDB stores open, write and close their database. Writes skip RocksDB's write-ahead log: the store's
/// changelog is its log, a task directory is trusted only after a clean close (its checkpoint, written after the stores
/// are closed), and a clean close flushes the memtables first; after a crash the directory is wiped and restored from
/// the changelog, so a WAL would only cost a second write of every change.
/// </summary>
internal static class RocksDbState
{
    /// <summary>Options for every write of a store: no write-ahead log.</summary>
    public static WriteOptions Writes { get; } = new WriteOptions().DisableWal(1);

    /// <summary>Opens (creating when missing) the database of a store at <paramref name="path"/>.</summary>
    public static RocksDb Open(string path) => RocksDb.Open(new DbOptions().SetCreateIfMissing(true), path);

    /// <summary>Writes the memtables to disk, then closes: what the checkpoint written after this relies on.</summary>
    public static void FlushAndClose(RocksDb db)
    {
        db.Flush(new FlushOptions().SetWaitForFlush(true));
        db.Dispose();
    }
}
