using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamBilling.Kafka;

namespace StreamBilling.Streams.Kafka;

/// <summary>
/// Exactly-once state without transactions (idempotent at-least-once output): each step is acknowledged before the
/// next starts, so a commit marker is only ever written after every changelog record it closes, and offsets only after
/// the markers. Restore applies only what a marker closes and resumes the input at the marker's positions, so a crash
/// anywhere in a commit neither double-counts nor loses; replayed output carries the same <c>sb-id</c>.
/// </summary>
internal sealed partial class MarkerCommitProtocol(string applicationId, TimeSpan brokerTimeout, ProcessDeath death, ILogger logger) : ICommitProtocol
{
    private OutputProducer? _output;
    private IConsumer<byte[], byte[]>? _consumer;

    public IsolationLevel IsolationLevel => IsolationLevel.ReadUncommitted;

    public bool TailsAreCommitted => false;

    public void ConfigureProducer(ProducerConfig config)
    {
    }

    public void Start(OutputProducer output, IConsumer<byte[], byte[]> consumer)
    {
        _output = output;
        _consumer = consumer;
    }

    public IReadOnlyList<TopicPartitionOffset> Commit(List<TopicPartitionOffset> offsets, Func<bool> writeMarkers)
    {
        var output = _output!;
        output.FlushAndCheck(brokerTimeout);
        death.DieIfAt(CrashPoint.AfterChangelogs);
        if (writeMarkers())
        {
            output.FlushAndCheck(brokerTimeout);
        }

        death.DieIfAt(CrashPoint.AfterMarkers);
        if (offsets.Count > 0)
        {
            try
            {
                _consumer!.Commit(offsets);
            }
            catch (KafkaException e) when (GroupCommitErrors.IsGroupMovedOn(e.Error))
            {
                // The group moved on (an instance joined or left): the commit markers carry stateful tasks' positions,
                // so their next owner resumes there; stateless input is read again (deterministic output ids). The
                // next commit here, for partitions that stay, repeats these offsets.
                LogCommitRefused(logger, applicationId, e.Error.Code);
                return [];
            }
        }

        return offsets;
    }

    public void AbandonUncommitted()
    {
        // Nothing to abort: what was sent without a marker is superseded or replayed by the next owner.
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Application}: offset commit refused ({Code}) while the group rebalances; the commit markers hold the positions")]
    private static partial void LogCommitRefused(ILogger logger, string application, ErrorCode code);
}
