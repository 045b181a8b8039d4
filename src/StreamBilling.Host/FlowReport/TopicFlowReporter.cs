using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using StreamBilling.Kafka;

namespace StreamBilling.Host.FlowReport;

/// <summary>
/// Shows what flows through Kafka: a consumer group reads every catalog topic and its dead-letter topic (raw bytes, nothing
/// decoded), counts records per topic, commits every second (which is what back-pressure producers wait on), prints a line
/// per interval and, on shutdown, reads what is left and prints each topic's records read next to its records in Kafka
/// (high minus low watermark).
/// </summary>
internal sealed partial class TopicFlowReporter(
    KafkaClientFactory clients,
    IOptions<FlowReportOptions> options,
    TimeProvider timeProvider,
    ILogger<TopicFlowReporter> logger) : BackgroundService
{
    /// <summary>The report's consumer group.</summary>
    public const string GroupId = "streambilling-flow-report";

    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, long> _read = new(StringComparer.Ordinal);

    /// <summary>Topics the report reads: the catalog and its dead-letter topics.</summary>
    public static IReadOnlyList<string> Topics { get; } = [.. Contracts.Topics.AllWithDeadLetters().Select(t => t.Name)];

    /// <summary>Records read so far, per topic.</summary>
    public IReadOnlyDictionary<string, long> Read => _read;

    /// <summary>The final report's rows once the service stopped: topic, records read, records in Kafka.</summary>
    public IReadOnlyList<(string Topic, long Read, long InKafka)>? Final { get; private set; }

    // A blocking consume loop gets its own thread rather than a pool thread.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var consumer = clients.CreateRawConsumer(GroupId, new KafkaConsumerOptions { WhenNoCommittedOffset = MissingOffsetPolicy.Earliest });
        consumer.Subscribe(Topics);
        var interval = options.Value.Interval;
        var started = timeProvider.GetTimestamp();
        var lastCommit = started;
        var lastReport = started;
        long lastTotal = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Count(consumer.ConsumeChecked(PollTimeout));
                if (timeProvider.GetElapsedTime(lastCommit) >= CommitInterval)
                {
                    Commit(consumer);
                    lastCommit = timeProvider.GetTimestamp();
                }

                if (timeProvider.GetElapsedTime(lastReport) >= interval)
                {
                    var total = _read.Values.Sum();
                    var seconds = timeProvider.GetElapsedTime(lastReport).TotalSeconds;
                    Console.WriteLine(ProgressLine(timeProvider.GetElapsedTime(started), total, (total - lastTotal) / seconds));
                    (lastReport, lastTotal) = (timeProvider.GetTimestamp(), total);
                }
            }

            // Producers in this host stop before the report (registration order), so what is left is finite: read it.
            var drainStarted = timeProvider.GetTimestamp();
            var idlePolls = 0;
            while (idlePolls < 2 && timeProvider.GetElapsedTime(drainStarted) < DrainLimit)
            {
                var result = consumer.ConsumeChecked(PollTimeout);
                idlePolls = result is null ? idlePolls + 1 : 0;
                Count(result);
            }

            Commit(consumer);
            Final = FinalRows(consumer);
            Console.WriteLine(FinalTable(Final, timeProvider.GetElapsedTime(started)));
        }
        catch (ConsumeException e) when (e.Error.IsFatal)
        {
            LogFatal(logger, e, e.Error.Reason);
            throw;
        }
        catch (TopicTruncatedException e)
        {
            // Records were lost before this group read them: the counts would be wrong, so stop saying anything.
            LogTruncated(logger, e);
            throw;
        }
        finally
        {
            if (consumer.CloseLeavingGroup() is { } closeFailed)
            {
                LogCloseFailed(logger, closeFailed.Error.Reason);
            }
        }
    }

    private void Count(ConsumeResult<byte[], byte[]>? result)
    {
        if (result is not null)
        {
            _read.AddOrUpdate(result.Topic, 1, (_, n) => n + 1);
        }
    }

    private static void Commit(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing read since the last commit.
        }
        catch (KafkaException e) when (GroupCommitErrors.IsGroupMovedOn(e.Error))
        {
            // Another host joined or left the group: the next owner counts from the last commit (a report, not money).
        }
    }

    private List<(string Topic, long Read, long InKafka)> FinalRows(IConsumer<byte[], byte[]> consumer)
    {
        using var admin = clients.CreateAdminClient();
        var (low, high) = admin.ListWatermarksAsync(consumer.Assignment, BrokerTimeout).GetAwaiter().GetResult();
        var inKafka = high
            .GroupBy(p => p.Key.Topic, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value - low[p.Key]), StringComparer.Ordinal);
        return Topics
            .Select(t => (Topic: t, Read: _read.GetValueOrDefault(t), InKafka: inKafka.GetValueOrDefault(t)))
            .Where(r => r.Read > 0 || r.InKafka > 0)
            .ToList();
    }

    /// <summary>Elapsed, totals, rate, usage per service, dead letters; then a second line with each output topic's count.</summary>
    private string ProgressLine(TimeSpan elapsed, long total, double rate)
    {
        var byKind = _read.GroupBy(p => Kind(p.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);
        var usage = byKind.Where(k => k.Key.StartsWith("usage.", StringComparison.Ordinal)).OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key["usage.".Length..]} {k.Value:N0}"));

        // Output topics in catalog order (segments, priced lines, caps, status, rollups, CDN usage messages, invoices).
        var outputs = Topics.Where(t => Kind(t) == "outputs" && _read.ContainsKey(t))
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t} {_read[t]:N0}"))
            .ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"flow {elapsed:hh\\:mm\\:ss}  {total:N0} records read (+{rate:N0}/s)  usage: {string.Join(" | ", usage)}  dead letters: {byKind.GetValueOrDefault("dlq"):N0}{Environment.NewLine}              outputs: {(outputs.Count == 0 ? "none yet" : string.Join(" | ", outputs))}");
    }

    private static string Kind(string topic) =>
        topic.EndsWith(Contracts.Topics.DeadLetterSuffix, StringComparison.Ordinal) ? "dlq"
        : topic.StartsWith("usage.", StringComparison.Ordinal) ? "usage." + topic.Split('.')[1]
        : "outputs";

    private static string FinalTable(IReadOnlyList<(string Topic, long Read, long InKafka)> rows, TimeSpan elapsed)
    {
        var width = Math.Max(5, rows.Count == 0 ? 0 : rows.Max(r => r.Topic.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"flow report after {elapsed:hh\\:mm\\:ss} (group {GroupId}):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"topic".PadRight(width)}  {"in Kafka",10}  {"read",10}");
        foreach (var (topic, read, inKafka) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {topic.PadRight(width)}  {inKafka,10:N0}  {read,10:N0}");
        }

        text.Append(CultureInfo.InvariantCulture, $"  {"total".PadRight(width)}  {rows.Sum(r => r.InKafka),10:N0}  {rows.Sum(r => r.Read),10:N0}");
        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow report consumer did not leave its group cleanly ({Reason}); the group notices at the session timeout")]
    private static partial void LogCloseFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Flow report consumer failed: {Reason}")]
    private static partial void LogFatal(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Flow report stopped: a topic was truncated before it was read")]
    private static partial void LogTruncated(ILogger logger, Exception exception);
}
