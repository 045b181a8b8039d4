using System.Diagnostics;
using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// The ceiling a stream application is measured against: a consumer group that reads its input topics and produces each
/// record unchanged to an output topic, with no processing, committing on the same interval (output acknowledged before
/// the offsets move, as the runtime's commits do).
/// </summary>
internal sealed class PassthroughLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private long _processed;

    private PassthroughLoop(CancellationTokenSource stop)
    {
        _stop = stop;
        Completion = Task.CompletedTask;
    }

    /// <summary>Records read and produced so far.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Ends when the loop stops (faulted when it failed).</summary>
    public Task Completion { get; private set; }

    /// <summary>Starts reading <paramref name="inputs"/> in group <paramref name="group"/> on a thread of its own.</summary>
    public static PassthroughLoop Start(KafkaClientFactory clients, string group, IReadOnlyCollection<string> inputs, string output, TimeSpan commitInterval, CancellationToken cancellationToken)
    {
        var loop = new PassthroughLoop(CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
        var stop = loop._stop.Token;
        loop.Completion = Task.Factory.StartNew(
            () =>
            {
                using var consumer = clients.CreateRawConsumer(group);
                using var producer = clients.CreateRawProducer();
                consumer.Subscribe(inputs);
                var lastCommit = Stopwatch.StartNew();
                while (!stop.IsCancellationRequested)
                {
                    var result = consumer.ConsumeChecked(TimeSpan.FromMilliseconds(100));
                    if (result is not null)
                    {
                        producer.Produce(output, result.Message);
                        Interlocked.Increment(ref loop._processed);
                    }

                    if (lastCommit.Elapsed >= commitInterval)
                    {
                        producer.Flush(TimeSpan.FromSeconds(30));
                        try
                        {
                            consumer.Commit();
                        }
                        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
                        {
                            // Nothing consumed since the last commit (an input with few records): nothing to commit.
                        }

                        lastCommit.Restart();
                    }
                }

                producer.Flush(TimeSpan.FromSeconds(30));
                consumer.Close();
            },
            stop,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        return loop;
    }

    /// <summary>Stops the loop and waits for it (its failure, if any, surfaces here).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped before its thread started.
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
