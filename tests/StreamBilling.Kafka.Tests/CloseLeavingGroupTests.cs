using System.Reflection;
using Confluent.Kafka;

namespace StreamBilling.Kafka.Tests;

/// <summary>
/// A consumer whose close times out (the coordinator rebalancing after another member was killed, seen in the chaos run):
/// the stopping service gets the error to log, not an exception that makes the host exit with a failure.
/// </summary>
public sealed class CloseLeavingGroupTests
{
    [Fact]
    public void ACloseThatTimesOut_ReturnsTheError_InsteadOfThrowing()
    {
        var consumer = ClosingConsumer.Create(new KafkaException(new Error(ErrorCode.Local_TimedOut)));

        var failed = consumer.CloseLeavingGroup();

        Assert.Equal(ErrorCode.Local_TimedOut, failed?.Error.Code);
        Assert.Equal(1, ((ClosingConsumer)(object)consumer).Closes);
    }

    [Fact]
    public void ACloseThatSucceeds_ReturnsNull()
    {
        var consumer = ClosingConsumer.Create(failure: null);

        Assert.Null(consumer.CloseLeavingGroup());
        Assert.Equal(1, ((ClosingConsumer)(object)consumer).Closes);
    }

    /// <summary>A consumer that only closes, with <see cref="Failure"/> thrown when set; any other call fails the test.</summary>
    public class ClosingConsumer : DispatchProxy
    {
        /// <summary>What Close throws, if anything.</summary>
        public KafkaException? Failure { get; private set; }

        /// <summary>Close calls so far.</summary>
        public int Closes { get; private set; }

        /// <summary>The proxy as the Kafka consumer interface.</summary>
        public static IConsumer<byte[], byte[]> Create(KafkaException? failure)
        {
            var consumer = Create<IConsumer<byte[], byte[]>, ClosingConsumer>();
            ((ClosingConsumer)(object)consumer).Failure = failure;
            return consumer;
        }

        /// <inheritdoc />
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != "Close")
            {
                throw new NotSupportedException($"Unexpected call: {targetMethod?.Name}");
            }

            Closes++;
            return Failure is { } failure ? throw failure : null;
        }
    }
}
