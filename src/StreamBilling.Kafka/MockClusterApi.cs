using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>
/// P/Invoke into librdkafka's mock-cluster C API. The functions are exported by the very native library Confluent.Kafka
/// has already loaded (on Debian its <c>centos8-librdkafka.so</c> variant), so the import is resolved to that file rather
/// than to whatever a plain <c>dlopen("librdkafka")</c> would find.
/// </summary>
internal static partial class MockClusterApi
{
    private const string LibraryName = "streambilling-rdkafka";
    private static readonly Lock Gate = new();
    private static nint _library;

    static MockClusterApi()
    {
        NativeLibrary.SetDllImportResolver(typeof(MockClusterApi).Assembly, Resolve);
    }

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_handle_mock_cluster")]
    internal static partial nint HandleMockCluster(nint rk);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial nint Bootstraps(nint mcluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(nint mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void GroupInitialRebalanceDelayMs(nint mcluster, int delayMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_set_controller_id")]
    internal static partial int SetControllerId(nint mcluster, int brokerId);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_partition_delete_records", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int PartitionDeleteRecords(nint mcluster, string topic, int partition, long offset);

    /// <summary>The <c>rd_kafka_t*</c> behind a client. Confluent.Kafka keeps it in the internal <c>Handle.LibrdkafkaHandle</c>
    /// (a SafeHandle); there is no public accessor, so it is read by reflection (checked against Confluent.Kafka 2.16).</summary>
    internal static SafeHandle GetClientHandle(IClient client)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka.Handle.LibrdkafkaHandle not found: this Confluent.Kafka version is not supported by the embedded cluster.");
        return property.GetValue(client.Handle) as SafeHandle
            ?? throw new InvalidOperationException("The client has no librdkafka handle.");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return 0;
        }

        lock (Gate)
        {
            if (_library == 0)
            {
                _library = NativeLibrary.Load(FindLoadedLibrdkafka());
            }

            return _library;
        }
    }

    /// <summary>The librdkafka file mapped into this process (a Confluent.Kafka client must already exist).</summary>
    private static string FindLoadedLibrdkafka()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).Contains("librdkafka", StringComparison.Ordinal))
                {
                    return line[slash..].Trim();
                }
            }
        }

        // Elsewhere fall back to the library next to Confluent.Kafka's runtimes folder, as Confluent.Kafka itself does.
        var rid = RuntimeInformation.RuntimeIdentifier;
        var baseDir = AppContext.BaseDirectory;
        var candidates = new[]
        {
            Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.dll"),
            Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.dylib"),
            Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.so"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new DllNotFoundException("librdkafka is not loaded in this process; create a Confluent.Kafka client first.");
    }
}
