using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Simulation.Tests;

public sealed class TimestampPacerTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PaceAsync_SpedUp_ReleasesWhenTheScaledGapHasPassed()
    {
        var time = new FakeTimeProvider();
        SimulatedEvent[] events = [At(T0), At(T0.AddMinutes(60))];
        await using var paced = new TimestampPacer(time, speedup: 60).PaceAsync(events, TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await paced.MoveNextAsync());

        // One simulated hour at 60x is one minute of (fake) real time.
        var second = paced.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(59));
        var releasedEarly = second.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(releasedEarly);
        Assert.True(await second.WaitAsync(Liveness, TestContext.Current.CancellationToken));
        Assert.Equal(T0.AddMinutes(60), paced.Current.Timestamp);
    }

    [Fact]
    public async Task PaceAsync_EqualTimestamps_AreReleasedTogether()
    {
        var time = new FakeTimeProvider();
        SimulatedEvent[] events = [At(T0), At(T0), At(T0)];
        var released = 0;

        await foreach (var _ in new TimestampPacer(time).PaceAsync(events, TestContext.Current.CancellationToken))
        {
            released++;
        }

        Assert.Equal(3, released);
    }

    private static SimulatedEvent At(DateTimeOffset timestamp) =>
        new("usage.test", "k", new Events.Outputs.CdnUsagePayload(), timestamp, timestamp);
}
