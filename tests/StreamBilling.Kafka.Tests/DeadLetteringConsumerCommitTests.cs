using System.Reflection;
using Confluent.Kafka;

namespace StreamBilling.Kafka.Tests;

/// <summary>
/// A commit the group refuses because it is rebalancing: with the cooperative assignor the partitions that stay keep
/// their position, so the refused commit must be repeated while the loop waits, not only when a new record arrives
/// (seen in CI: a sink group four records behind for good after a second host joined).
/// </summary>
public sealed class DeadLetteringConsumerCommitTests
{
    [Fact]
    public async Task CommitRefusedByARebalance_IsRepeatedWhileWaiting_WithNothingNewToRead()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var broker = ScriptedConsumer.Create(refuseFirstCommits: 1, afterCommit: n =>
        {
            if (n == 2)
            {
                stop.Cancel();
            }
        });
        using var consumer = new DeadLetteringConsumer<byte[], byte[]>(
            "g", broker.Consumer, Deserializers.ByteArray, Deserializers.ByteArray, validate: null, ScriptedConsumer.UnusedProducer(), new KafkaTelemetry(), TimeProvider.System);

        var committedAtOnce = consumer.Commit();
        var outstandingAfterRefusal = consumer.CommitOutstanding;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => consumer.Consume(stop.Token), TestContext.Current.CancellationToken));

        Assert.False(committedAtOnce);
        Assert.True(outstandingAfterRefusal);
        Assert.Equal(2, broker.Commits);
        Assert.False(consumer.CommitOutstanding);
    }

    [Fact]
    public async Task CommitAccepted_TheWaitDoesNotCommitAgain()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var broker = ScriptedConsumer.Create(refuseFirstCommits: 0, afterCommit: _ => { });
        using var consumer = new DeadLetteringConsumer<byte[], byte[]>(
            "g", broker.Consumer, Deserializers.ByteArray, Deserializers.ByteArray, validate: null, ScriptedConsumer.UnusedProducer(), new KafkaTelemetry(), TimeProvider.System);

        Assert.True(consumer.Commit());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => consumer.Consume(stop.Token), TestContext.Current.CancellationToken));

        Assert.Equal(1, broker.Commits);
    }

    /// <summary>
    /// A consumer with nothing to read whose first commits are refused with <see cref="ErrorCode.RebalanceInProgress"/>;
    /// any other call than consume, commit and dispose fails the test.
    /// </summary>
    public class ScriptedConsumer : DispatchProxy
    {
        private int _refuse;
        private Action<int> _afterCommit = _ => { };

        /// <summary>Commit calls so far (refused ones included).</summary>
        public int Commits { get; private set; }

        /// <summary>The proxy as the Kafka consumer interface.</summary>
        public IConsumer<byte[], byte[]> Consumer { get; private set; } = null!;

        /// <summary>A consumer whose first <paramref name="refuseFirstCommits"/> commits are refused.</summary>
        public static ScriptedConsumer Create(int refuseFirstCommits, Action<int> afterCommit)
        {
            var consumer = Create<IConsumer<byte[], byte[]>, ScriptedConsumer>();
            var script = (ScriptedConsumer)(object)consumer;
            (script._refuse, script._afterCommit, script.Consumer) = (refuseFirstCommits, afterCommit, consumer);
            return script;
        }

        /// <summary>A dead-letter producer that is only ever disposed.</summary>
        public static IProducer<byte[], byte[]> UnusedProducer() => Create<IProducer<byte[], byte[]>, DisposeOnly>();

        /// <inheritdoc />
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var parameters = targetMethod!.GetParameters();
            switch (targetMethod.Name)
            {
                case "Consume" when parameters.Length == 1 && parameters[0].ParameterType == typeof(CancellationToken):
                    var token = (CancellationToken)args![0]!;
                    token.WaitHandle.WaitOne();
                    token.ThrowIfCancellationRequested();
                    return null;
                case "Consume" when parameters.Length == 1 && parameters[0].ParameterType == typeof(TimeSpan):
                    return null;
                case "Commit" when parameters.Length == 0:
                    Commits++;
                    try
                    {
                        if (Commits <= _refuse)
                        {
                            throw new KafkaException(new Error(ErrorCode.RebalanceInProgress));
                        }

                        return new List<TopicPartitionOffset>();
                    }
                    finally
                    {
                        _afterCommit(Commits);
                    }

                case "Dispose":
                    return null;
                default:
                    throw new NotSupportedException($"Unexpected call: {targetMethod.Name}");
            }
        }
    }

    /// <summary>Accepts Dispose and nothing else.</summary>
    public class DisposeOnly : DispatchProxy
    {
        /// <inheritdoc />
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "Dispose" ? null : throw new NotSupportedException($"Unexpected call: {targetMethod?.Name}");
    }
}
