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
        await RunThenDieAsync(app, firstBatch, secondBatch, (doomed, crashes, _) => crashes.KillAsync(doomed));

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
    public async Task CrashAfterTheChangelogButBeforeTheOffsetCommit_TheSuccessorCommitsTheResumedPosition_WithNothingNewToRead()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-crash-lag");
        await RunThenDieAsync(app, WindowedSumApp.Records(0, 1_000).ToList(), WindowedSumApp.Records(1_000, 2_000).ToList(), DieDuringCommitAsync(CrashPoint.AfterMarkers));

        // Nothing more is produced: the successor has nothing to read, yet the group's offsets must reach the end, or
        // every lag monitor (and the chaos harness) sees a consumer that never catches up.
        await using var successor = app.NewInstance();
        await successor.StartAsync(TestContext.Current.CancellationToken);
        using var probe = kafka.Clients.CreateRawConsumer(app.Topology.ApplicationId);
        var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartition(app.Input, p)).ToList();
        var end = partitions.Sum(p => probe.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        await Polling.UntilAsync(
            () => probe.Committed(partitions, TimeSpan.FromSeconds(10)).Sum(c => c.Offset.IsSpecial ? 0 : c.Offset.Value) == end,
            "the group's committed offsets reach the end of the input",
            Slow);

        Assert.Equal(0, successor.ProcessedRecords);
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
            await ProcessThenStopAsync(app, options, firstBatch);

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
    public async Task CleanRestart_WithTheKeptStateDirectory_ResumesStreamTime_SoARecordPastTheGraceIsLate()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-resume", persistent: true);
        var stateDirectory = Directory.CreateTempSubdirectory("sb-state-").FullName;
        try
        {
            var options = new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200), StateDirectory = stateDirectory };
            var firstBatch = WindowedSumApp.Records(0, 500).ToList();
            await ProcessThenStopAsync(app, options, firstBatch);

            // Two days before stream time: past the day of grace of its window, so late for the instance that ran before.
            var tooLate = ("k0", 1_000_000L, WindowedSumApp.Start.AddDays(-2));
            var secondBatch = WindowedSumApp.Records(500, 1_000).ToList();
            await using var second = app.NewInstance(options);
            await second.StartAsync(TestContext.Current.CancellationToken);
            await app.ProduceAsync([tooLate, .. secondBatch]);
            var expected = WindowedSumApp.ExpectedSums(firstBatch.Concat(secondBatch));
            var output = await app.ReadOutputAsync(view => expected.All(e => view.SumsByKey.GetValueOrDefault(e.Key) == e.Value), timeout: Slow);

            Assert.Equal(0, second.RestoredRecords);
            Assert.True(output.Matches(expected), $"{output.LatestById.Count} windows for {expected.Count} expected: the late record opened a closed window");
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task KeptStateDirectory_WhoseChangelogWasRecreated_IsWiped_NotRestoredOnTop()
    {
        var stateDirectory = Directory.CreateTempSubdirectory("sb-state-").FullName;
        try
        {
            var options = new KafkaStreamsOptions { CommitInterval = TimeSpan.FromMilliseconds(200), StateDirectory = stateDirectory };
            var records = WindowedSumApp.Records(0, 400).ToList();
            var before = await WindowedSumApp.CreateAsync(kafka, "streams-recreated-a", persistent: true);
            await ProcessThenStopAsync(before, options, records);

            // The same local state and checkpoints under an application whose changelog is new and empty, as after a fresh
            // embedded cluster or a deleted and recreated changelog: the checkpoints point past the changelog's end.
            var after = await WindowedSumApp.CreateAsync(kafka, "streams-recreated-b", persistent: true);
            CopyDirectory(Path.Combine(stateDirectory, before.Topology.ApplicationId), Path.Combine(stateDirectory, after.Topology.ApplicationId));
            foreach (var checkpoint in Directory.EnumerateFiles(Path.Combine(stateDirectory, after.Topology.ApplicationId), ".checkpoint", SearchOption.AllDirectories))
            {
                var text = await File.ReadAllTextAsync(checkpoint, TestContext.Current.CancellationToken);
                await File.WriteAllTextAsync(checkpoint, text.Replace(before.ChangelogTopic, after.ChangelogTopic, StringComparison.Ordinal), TestContext.Current.CancellationToken);
            }

            await using var second = after.NewInstance(options);
            await second.StartAsync(TestContext.Current.CancellationToken);
            await after.ProduceAsync(records);
            var expected = WindowedSumApp.ExpectedSums(records);
            // One output per input (emit on update): the last is the final sum of its window.
            var output = await after.ReadOutputAsync(view => view.Records >= records.Count, timeout: Slow);

            Assert.True(output.Matches(expected), "sums include the state of another changelog");
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task TemporaryStateDirectory_LeftByAKilledInstance_IsDeletedByTheNextStart_ALiveOneIsKept()
    {
        // What a killed process leaves: its directory and lock file, the lock itself gone with the process. Both layouts:
        // <root>/<instance>/<application> (before) and <root>/<application>/<instance> (now).
        var root = StateDirectoryLock.TemporaryRoot;
        var orphans = new[] { Path.Combine(root, Guid.NewGuid().ToString("N"), "old-app"), Path.Combine(root, "some-app", Guid.NewGuid().ToString("N")) };
        foreach (var orphan in orphans)
        {
            Directory.CreateDirectory(Path.Combine(orphan, "0_1"));
            await File.WriteAllTextAsync(Path.Combine(orphan, ".lock"), string.Empty, TestContext.Current.CancellationToken);
        }

        var app = await WindowedSumApp.CreateAsync(kafka, "streams-orphans");
        using var live = StateDirectoryLock.Acquire(Path.Combine(root, "some-app", Guid.NewGuid().ToString("N")));
        string own;
        await using (var instance = app.NewInstance())
        {
            await instance.StartAsync(TestContext.Current.CancellationToken);
            own = Path.Combine(root, app.Topology.ApplicationId);
            Assert.Single(Directory.GetDirectories(own));
            Assert.All(orphans, orphan => Assert.False(Directory.Exists(orphan), orphan));
            Assert.True(Directory.Exists(live.Directory));
        }

        Assert.False(Directory.Exists(own), "the instance's own temporary directory outlived it");
        live.Release(deleteDirectory: true);
    }

    [Fact]
    public async Task StateDirectory_InUseByALiveInstance_IsRefused()
    {
        var app = await WindowedSumApp.CreateAsync(kafka, "streams-locked");
        var stateDirectory = Directory.CreateTempSubdirectory("sb-state-").FullName;
        try
        {
            var options = new KafkaStreamsOptions { StateDirectory = stateDirectory, InstanceId = "local" };
            await using var first = app.NewInstance(options);
            await first.StartAsync(TestContext.Current.CancellationToken);
            await using var second = app.NewInstance(options);

            var error = await Assert.ThrowsAsync<KafkaStreamsException>(() => second.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains("in use by another instance", error.Message, StringComparison.Ordinal);
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
        await RunThenDieAsync(app, firstBatch, secondBatch, (doomed, crashes, _) => crashes.KillAsync(doomed), instanceId, ProcessingGuarantee.ExactlyOnce);

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
        Func<KafkaStreams, CrashSwitch, FakeTimeProvider, Task> die,
        string? instanceId = null,
        ProcessingGuarantee? expectedGuarantee = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var crashes = new CrashSwitch();
        await using var doomed = app.NewInstance(new KafkaStreamsOptions { CommitInterval = TimeSpan.FromHours(1), TimeProvider = clock, InstanceId = instanceId ?? Guid.NewGuid().ToString("N") }, crashes);
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
        await die(doomed, crashes, clock);
    }

    /// <summary>Dies inside the next commit at <paramref name="point"/>.</summary>
    private static Func<KafkaStreams, CrashSwitch, FakeTimeProvider, Task> DieDuringCommitAsync(CrashPoint point) =>
        async (doomed, crashes, clock) =>
        {
            crashes.Arm(point);
            clock.Advance(TimeSpan.FromHours(1));
            await Assert.ThrowsAsync<KafkaStreamsException>(() => doomed.Completion.WaitAsync(Slow, TestContext.Current.CancellationToken));
        };

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Runs one instance until it processed <paramref name="records"/>, then stops it cleanly (checkpoints written).</summary>
    private static async Task ProcessThenStopAsync(WindowedSumApp app, KafkaStreamsOptions options, List<(string Key, long Value, DateTimeOffset Time)> records)
    {
        await using var instance = app.NewInstance(options);
        await instance.StartAsync(TestContext.Current.CancellationToken);
        await app.ProduceAsync(records);
        await Polling.UntilAsync(() => instance.ProcessedRecords == records.Count, "the records are processed", Slow);
        await instance.StopAsync();
        Assert.Equal(KafkaStreamsState.Stopped, instance.State);
    }
}
