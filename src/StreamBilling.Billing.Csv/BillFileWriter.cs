using System.Buffers;
using System.Collections.Concurrent;

namespace StreamBilling.Billing.Csv;

/// <summary>
/// Writes bills into one folder as <see cref="BillFormat.FileName"/>, one file per bill. <see cref="Write(MonthlyBill)"/>
/// may be called from many threads at once: each caller formats its bills, and one dedicated thread creates the files.
/// All or nothing: the files go to a hidden staging folder (inside the target when it exists, next to it otherwise) and
/// are moved into the target by <see cref="Complete"/> only; a writer disposed without completing (any failure on the
/// way) removes them.
/// </summary>
/// <remarks>
/// A large run writes a quarter of a million small files. Creates in one folder are serialized by the kernel (the
/// folder's lock), so one writer thread (more can be asked for, see <see cref="DefaultWriterThreads"/>) keeps the
/// folder busy while the other cores bill and format; a bounded queue between them keeps memory flat. Queue entries are batches (a customer's bills), so the threads hand over work
/// rarely. Each file is one create, one write and one close (<see cref="BillFolder"/>); nothing is flushed to disk
/// (see <see cref="Complete"/>).
/// </remarks>
public sealed class BillFileWriter : IDisposable
{
    private const int QueueCapacity = 256;

    // Formatting happens on the caller's thread, into a buffer that thread reuses.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _formatBuffer;

    private readonly string _target;
    private readonly string _directory;
    private readonly BlockingCollection<PendingBatch> _queue = new(QueueCapacity);
    private readonly BillFolder _folder;
    private readonly Thread[] _threads;
    private Exception? _failure;
    private int _files;
    private long _bytes;
    private readonly bool _durable;
    private bool _published;

    /// <summary>
    /// Creates the staging folder for <paramref name="directory"/> (created by <see cref="Complete"/> if needed) and
    /// starts <paramref name="writerThreads"/> threads that create the files (0: <see cref="DefaultWriterThreads"/>).
    /// With <paramref name="durable"/>, <see cref="Complete"/> returns only once the bills are on the disk.
    /// </summary>
    /// <exception cref="IOException"><paramref name="directory"/> is a file, or the staging folder cannot be created.</exception>
    public BillFileWriter(string directory, int writerThreads = 0, bool durable = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(writerThreads);
        _durable = durable;
        _target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(_target))
        {
            throw new IOException($"{_target} is a file, not a folder.");
        }

        // On the target's file system, so moving the files in is a rename: inside an existing target (which needs no
        // more rights than writing the bills), next to a new one (which then appears whole, in one rename).
        var parent = Path.GetDirectoryName(_target);
        var unique = Guid.NewGuid().ToString("N");
        var staging = Directory.Exists(_target) || parent is null
            ? Path.Join(_target, ".bills.partial-" + unique)
            : Path.Join(parent, "." + Path.GetFileName(_target) + ".partial-" + unique);
        _directory = Directory.CreateDirectory(staging).FullName;
        _folder = new BillFolder(_directory);
        _threads = new Thread[writerThreads == 0 ? DefaultWriterThreads : writerThreads];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(WriteQueuedFiles) { IsBackground = true, Name = "bill file writer" };
            _threads[i].Start();
        }
    }

    /// <summary>
    /// Writer threads when none are asked for: one. Creates in one folder are serialized by the kernel (its lock on
    /// the folder), and on a 2-core machine a second writer gained nothing on tmpfs or ext4 (docs/billing-rules.md).
    /// </summary>
    public const int DefaultWriterThreads = 1;

    /// <summary>
    /// The staging path of an extra file (such as <c>rejects.csv</c>) for the caller to write before <see cref="Complete"/>;
    /// it is moved into the target with the bills.
    /// </summary>
    public string StagedPath(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Path.Join(_directory, Path.GetFileName(fileName));
    }

    /// <summary>Files written so far.</summary>
    public int FilesWritten => Volatile.Read(ref _files);

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Formats the bill and queues its file (replacing a file of the same name); blocks while the queue is full.
    /// Thread-safe. Throws the writing thread's error once it has failed.
    /// </summary>
    public void Write(MonthlyBill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        Write([bill]);
    }

    /// <summary>Formats the bills and queues their files as one batch; otherwise as <see cref="Write(MonthlyBill)"/>.</summary>
    public void Write(IReadOnlyList<MonthlyBill> bills)
    {
        ArgumentNullException.ThrowIfNull(bills);
        ThrowIfFailed();
        if (bills.Count == 0)
        {
            return;
        }

        var buffer = _formatBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var files = new (string Name, int Start, int Length)[bills.Count];
        for (var i = 0; i < bills.Count; i++)
        {
            var start = buffer.WrittenCount;
            BillCsvFormatter.Format(bills[i], buffer);
            files[i] = (BillFormat.FileName(bills[i]), start, buffer.WrittenCount - start);
        }

        var bytes = ArrayPool<byte>.Shared.Rent(buffer.WrittenCount);
        buffer.WrittenSpan.CopyTo(bytes);
        _queue.Add(new PendingBatch(bytes, files));
    }

    /// <summary>
    /// Waits until every queued file is written, then moves them all into the target folder (replacing files of the
    /// same name); throws the error that stopped the writing thread, if any, and then nothing is moved. Durable (see
    /// the constructor): the files are flushed to the disk before they are moved in and the moves after, so after a
    /// crash the target holds either all the new bills, complete, or none of them.
    /// </summary>
    public void Complete()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        JoinWriters();
        ThrowIfFailed();
        if (_published)
        {
            return;
        }

        var moveWhole = !Directory.Exists(_target);
        if (_durable)
        {
            Durably(_folder.FlushToDisk);
        }

        _folder.Dispose();
        Publish(moveWhole);
        if (_durable)
        {
            // A moved folder is an entry of its parent; moved files are entries of the target.
            Durably(() => BillFolder.FlushEntries(moveWhole ? Path.GetDirectoryName(_target) ?? _target : _target));
        }
    }

    /// <summary>Stops the writing thread after the queued files; without <see cref="Complete"/> every staged file is removed.</summary>
    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        JoinWriters();
        _folder.Dispose();
        _queue.Dispose();
        if (_published)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Dispose may run while another exception unwinds; a leftover hidden staging folder must not hide it.
        }
    }

    private void JoinWriters()
    {
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Durably(Action flush)
    {
        try
        {
            flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Flushing the bills in {_target} to the disk failed: {e.Message}", e);
        }
    }

    private void Publish(bool moveWhole)
    {
        if (moveWhole)
        {
            Directory.Move(_directory, _target);
        }
        else
        {
            foreach (var file in Directory.EnumerateFiles(_directory))
            {
                File.Move(file, Path.Join(_target, Path.GetFileName(file)), overwrite: true);
            }

            Directory.Delete(_directory);
        }

        _published = true;
    }

    private void ThrowIfFailed()
    {
        var failure = Volatile.Read(ref _failure);
        if (failure is not null)
        {
            throw new IOException($"Writing bills to {_target} failed: {failure.Message}", failure);
        }
    }

    private void WriteQueuedFiles()
    {
        foreach (var batch in _queue.GetConsumingEnumerable())
        {
            try
            {
                // After a failure the queue is still drained, so no caller stays blocked on a full queue.
                foreach (var (name, start, length) in batch.Files)
                {
                    if (Volatile.Read(ref _failure) is not null)
                    {
                        break;
                    }

                    _folder.Write(name, batch.Bytes.AsSpan(start, length));
                    Interlocked.Increment(ref _files);
                    Interlocked.Add(ref _bytes, length);
                }
            }
            catch (Exception e)
            {
                // Any failure is handed to the callers (Write, Complete); an exception escaping this thread would end the process.
                // The first failure is the one reported.
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(batch.Bytes);
            }
        }
    }

    private sealed record PendingBatch(byte[] Bytes, (string Name, int Start, int Length)[] Files);
}
