using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using StreamBilling.Kafka;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Streams;

/// <summary>The stream runtime on Kafka: partitioned tasks in a group, changelog restore, recovery without double counting.</summary>
public class KafkaStreamsTests(KafkaFixture kafka)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoInstances_SplitThePartitions_AndProduceExactlyTheExpectedOutput()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-split");
        await using var first = app.NewInstance();
        await using var second = app.NewInstance();
        await first.StartAsync(TestContext.Current.CancellationToken);
        await second.StartAsync(TestContext.Current.CancellationToken);
        await Polling.UntilAsync(() => first.ActiveTasks.Count == 2 && second.ActiveTasks.Count == 2, "each instance owns 2 of the 4 tasks", Slow);

        var records = WindowedSumApp.Records(0, 2_000).ToList();
        await app.ProduceAsync(records);
        await Polling.UntilAsync(() => first.ProcessedRecords + second.ProcessedRecords == records.Count, "all records are processed", Slow);

        var expected = WindowedSumApp.ExpectedSums(records);
        var output = await app.ReadOutputAsync(view => view.Records >= records.Count);
        Assert.True(output.Matches(expected), "final sums differ from the input's");
        // Emit-on-update: exactly one output per input, none twice.
        Assert.Equal(records.Count, output.Records);
        Assert.True(first.ProcessedRecords > 0 && second.ProcessedRecords > 0, "both instances processed records");
        Assert.Empty(first.ActiveTasks.Intersect(second.ActiveTasks));
    }

    [Fact]
    public async Task InstanceKilledMidStream_RestartsFromChangelog_WithTheSameFinalResults()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-crash", persistent: true);
        var firstBatch = WindowedSumApp.Records(0, 1_000).ToList();
        var secondBatch = WindowedSumApp.Records(1_000, 2_000).ToList();
        await RunThenDieAsync(app, firstBatch, secondBatch, (doomed, _) => doomed.CrashAsync());

        await using var successor = app.NewInstance();
        await successor.StartAsync(TestContext.Current.CancellationToken);
        await Polling.UntilAsync(() => successor.ProcessedRecords >= secondBatch.Count, "the successor replays the second batch", Slow);

        // A commit after the last record: its output is acknowledged, so the watermarks read below are final.
        var commitsSoFar = successor.Commits;
        await Polling.UntilAsync(() => successor.Commits > commitsSoFar, "the successor commits what it replayed", Slow);
        Assert.True(successor.RestoredRecords > 0, "the successor restored its state from the changelog");
        // Resumed exactly at the committed offsets: the uncommitted second batch again, nothing of the first.
        Assert.Equal(secondBatch.Count, successor.ProcessedRecords);

        // The doomed instance's updates (those its producer got out), then the successor's 1,000 replayed ones: same
        // ids, later offsets, so they replace.
        var expected = WindowedSumApp.ExpectedSums(firstBatch.Concat(secondBatch));
        var output = await app.ReadAllOutputAsync();
        Assert.InRange(output.Records, firstBatch.Count + secondBatch.Count, firstBatch.Count + (2 * secondBatch.Count));
        Assert.True(output.Matches(expected), "final sums differ from an uninterrupted run's");
    }

    [Fact]
    public async Task CrashAfterTheChangelogButBeforeTheOffsetCommit_NeitherDoubleCountsNorLoses()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-crash-markers");
        var firstBatch = WindowedSumApp.Records(0, 1_000).ToList();
        var secondBatch = WindowedSumApp.Records(1_000, 2_000).ToList();
        // State and its input position reach the changelog; the group's offsets stay behind.
        await RunThenDieAsync(app, firstBatch, secondBatch, DieDuringCommitAsync(CrashPoint.AfterMarkers));

        await using var successor = app.NewInstance();
        await successor.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(WindowedSumApp.Records(2_000, 2_100));
        var all = WindowedSumApp.Records(0, 2_100).ToList();
        var expected = WindowedSumApp.ExpectedSums(all);
        var output = await app.ReadOutputAsync(view => view.Matches(expected), timeout: Slow);

        Assert.True(output.Matches(expected), "sums double-count or miss records");
        // Resumed at the position stored with the state, not at the older group offset: only the 100 new records.
        Assert.Equal(100, successor.ProcessedRecords);
    }

    [Fact]
    public async Task CrashAfterTheChangelogBeforeItsMarker_SupersedesTheUnfinishedCommit()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-crash-tail", persistent: true);
        // The changelog gets records of a commit that never completes.
        await RunThenDieAsync(app, WindowedSumApp.Records(0, 1_000).ToList(), WindowedSumApp.Records(1_000, 2_000).ToList(), DieDuringCommitAsync(CrashPoint.AfterChangelogs));

        // The successor replays the unfinished work and supersedes its changelog records; then a third instance must
        // restore exactly the same state from that changelog.
        await using (var successor = app.NewInstance())
        {
            await successor.StartAsync(TestContext.Current.CancellationToken);
            await Polling.UntilAsync(() => successor.ProcessedRecords == 1_000, "the successor replays the unfinished commit", Slow);
            var committed = successor.Commits;
            await Polling.UntilAsync(() => successor.Commits > committed, "the successor commits", Slow);
            await successor.StopAsync();
        }

        await using var third = app.NewInstance();
        await third.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(WindowedSumApp.Records(2_000, 2_400));
        var all = WindowedSumApp.ExpectedSums(WindowedSumApp.Records(0, 2_400));
        var output = await app.ReadOutputAsync(view => view.Matches(all), timeout: Slow);
        Assert.True(output.Matches(all));
        Assert.Equal(400, third.ProcessedRecords);
    }

    [Fact]
    public async Task CleanRestart_OfPersistentStores_RestoresOnlyTheChangelogTail()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-checkpoint", persistent: true);
        var stateDirectory = Directory.CreateTempSubdirectory("sb-state-").FullName;
        try
        {
            var options = new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200), StateDirectory = stateDirectory };
            var firstBatch = WindowedSumApp.Records(0, 500).ToList();
            await using (var first = app.NewInstance(options))
            {
                await first.StartAsync(TestContext.Current.CancellationToken);
                await app.ProduceAsync(firstBatch);
                await Polling.UntilAsync(() => first.ProcessedRecords == firstBatch.Count, "the first batch is processed", Slow);
                await first.StopAsync();
                Assert.Equal(KafkaStreamsState.Stopped, first.State);
            }

            var secondBatch = WindowedSumApp.Records(500, 1_000).ToList();
            await using var second = app.NewInstance(options);
            await second.StartAsync(TestContext.Current.CancellationToken);
            await app.ProduceAsync(secondBatch);
            var expected = WindowedSumApp.ExpectedSums(firstBatch.Concat(secondBatch));
            var output = await app.ReadOutputAsync(view => view.Matches(expected), timeout: Slow);

            Assert.True(output.Matches(expected));
            Assert.Equal(0, second.RestoredRecords);
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task TruncatedChangelog_FailsTheRestoreLoudly()
    {
        if (kafka.Embedded is not { } cluster)
        {
            Assert.Skip("Deleting records needs the embedded cluster's mock API.");
            return;
        }

        var app = await WindowedSumApp.CreateAsync(kafka, "streams-truncated");
        await using (var first = app.NewInstance())
        {
            await first.StartAsync(TestContext.Current.CancellationToken);
            await app.ProduceAsync(WindowedSumApp.Records(0, 400));
            await Polling.UntilAsync(() => first.ProcessedRecords == 400, "records are processed", Slow);
            await first.StopAsync();
        }

        for (var partition = 0; partition < 4; partition++)
        {
            cluster.DeleteRecords(app.ChangelogTopic, partition, 1);
        }

        await using var second = app.NewInstance();
        await second.StartAsync(TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<KafkaStreamsException>(() => second.Completion.WaitAsync(Slow, TestContext.Current.CancellationToken));
        Assert.IsType<TopicTruncatedException>(error.InnerException);
        Assert.Equal(KafkaStreamsState.Failed, second.State);
    }

    [Fact]
    public async Task ExactlyOnce_OnARealCluster_ReadCommittedOutputHasEachResultOnceAfterACrash()
    {
        if (kafka.Embedded is not null)
        {
            Assert.Skip("The embedded mock cluster has no transaction semantics; runs when KAFKA_BOOTSTRAP_SERVERS or Docker gives a real cluster.");
            return;
        }

        var app = await WindowedSumApp.CreateAsync(kafka, "streams-eos");
        var instanceId = Guid.NewGuid().ToString("N");
        var firstBatch = WindowedSumApp.Records(0, 500).ToList();
        var secondBatch = WindowedSumApp.Records(500, 1_000).ToList();
        await RunThenDieAsync(app, firstBatch, secondBatch, (doomed, _) => doomed.CrashAsync(), instanceId, ProcessingGuarantee.ExactlyOnce);

        // Same instance id = same transactional id: the successor's InitTransactions aborts the open transaction.
        await using var successor = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200), InstanceId = instanceId });
        await successor.StartAsync(TestContext.Current.CancellationToken);
        var all = firstBatch.Concat(secondBatch).ToList();
        var output = await app.ReadOutputAsync(view => view.Records >= all.Count, IsolationLevel.ReadCommitted, Slow);

        Assert.True(output.Matches(WindowedSumApp.ExpectedSums(all)));
        Assert.Equal(all.Count, output.Records);
    }

    [Fact]
    public async Task ExactlyOnce_OnARealCluster_AZombieIsFencedByItsSuccessor()
    {
        if (kafka.Embedded is not null)
        {
            Assert.Skip("The embedded mock cluster does not fence producers; runs when KAFKA_BOOTSTRAP_SERVERS or Docker gives a real cluster.");
            return;
        }

        var app = await WindowedSumApp.CreateAsync(kafka, "streams-zombie");
        var instanceId = Guid.NewGuid().ToString("N");
        await using var zombie = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(100), InstanceId = instanceId });
        await zombie.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(WindowedSumApp.Records(0, 100));
        await Polling.UntilAsync(() => zombie.ProcessedRecords == 100, "the zombie processes", Slow);

        await using var successor = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(100), InstanceId = instanceId });
        await successor.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(WindowedSumApp.Records(100, 200));

        await Assert.ThrowsAnyAsync<Exception>(() => zombie.Completion.WaitAsync(Slow, TestContext.Current.CancellationToken));
        Assert.Equal(KafkaStreamsState.Failed, zombie.State);
    }

    /// <summary>
    /// Runs an instance that processes and commits <paramref name="committed"/>, then processes <paramref name="uncommitted"/>
    /// without committing, then dies by <paramref name="die"/>.
    /// </summary>
    private static async Task RunThenDieAsync(
        WindowedSumApp app,
        List<(string Key, long Value, DateTimeOffset Time)> committed,
        List<(string Key, long Value, DateTimeOffset Time)> uncommitted,
        Func<KafkaStreams, FakeTimeProvider, Task> die,
        string? instanceId = null,
        ProcessingGuarantee? expectedGuarantee = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var doomed = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromHours(1), TimeProvider = clock, InstanceId = instanceId ?? Guid.NewGuid().ToString("N") });
        if (expectedGuarantee is { } guarantee)
        {
            Assert.Equal(guarantee, doomed.Guarantee);
        }

        await doomed.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(committed);
        await Polling.UntilAsync(() => doomed.ProcessedRecords == committed.Count, "the committed batch is processed", Slow);
        var commitsSoFar = doomed.Commits;
        clock.Advance(TimeSpan.FromHours(1));
        await Polling.UntilAsync(() => doomed.Commits > commitsSoFar, "the committed batch is committed", Slow);
        await app.ProduceAsync(uncommitted);
        await Polling.UntilAsync(() => doomed.ProcessedRecords == committed.Count + uncommitted.Count, "the uncommitted batch is processed", Slow);
        await die(doomed, clock);
    }

    /// <summary>Dies inside the next commit at <paramref name="point"/>.</summary>
    private static Func<KafkaStreams, FakeTimeProvider, Task> DieDuringCommitAsync(CrashPoint point) =>
        async (doomed, clock) =>
        {
            doomed.CrashDuringNextCommit(point);
            clock.Advance(TimeSpan.FromHours(1));
            await Assert.ThrowsAsync<KafkaStreamsException>(() => doomed.Completion.WaitAsync(Slow, TestContext.Current.CancellationToken));
        };
}
