using Microsoft.Extensions.Time.Testing;

namespace StreamBilling.Simulation.Tests;

public sealed class EventPacerTests
{
    // Generous guard for a continuation that fake time has already released; it never decides the outcome.
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PaceAsync_FirstEvent_IsReleasedAtOnce()
    {
        var time = new FakeTimeProvider();
        await using var events = new EventPacer(time, 10).PaceAsync(Enumerable.Range(0, 5), TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var moved = events.MoveNextAsync();

        Assert.True(moved.IsCompleted);
        Assert.True(await moved);
        Assert.Equal(0, events.Current);
    }

    [Fact]
    public async Task PaceAsync_SecondEvent_WaitsOneIntervalOfFakeTime()
    {
        var time = new FakeTimeProvider();
        await using var events = new EventPacer(time, 10).PaceAsync(Enumerable.Range(0, 5), TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        await events.MoveNextAsync();

        var second = events.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromMilliseconds(99));
        var releasedEarly = second.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(releasedEarly);
        Assert.True(await second.WaitAsync(Liveness, TestContext.Current.CancellationToken));
        Assert.Equal(1, events.Current);
    }

    [Fact]
    public async Task PaceAsync_AfterAStall_DoesNotBurstMoreThanMaxBurst()
    {
        var time = new FakeTimeProvider();
        var pacer = new EventPacer(time, 10) { MaxBurst = 5 };
        await using var events = pacer.PaceAsync(Enumerable.Range(0, 1000), TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        await events.MoveNextAsync();

        time.Advance(TimeSpan.FromSeconds(60)); // the consumer stalled for 600 events' worth of time
        var immediate = 0;
        Task<bool> next;
        while ((next = events.MoveNextAsync().AsTask()).IsCompleted)
        {
            await next;
            immediate++;
        }

        time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(Liveness, TestContext.Current.CancellationToken);

        Assert.InRange(immediate, 1, 5);
    }

    [Fact]
    public async Task PaceAsync_Cancelled_Throws()
    {
        var time = new FakeTimeProvider();
        using var cts = new CancellationTokenSource();
        await using var events = new EventPacer(time, 1).PaceAsync(Enumerable.Range(0, 5), cts.Token).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        await events.MoveNextAsync();

        var waiting = events.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Liveness, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Constructor_NonPositiveRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventPacer(new FakeTimeProvider(), 0));
    }
}
