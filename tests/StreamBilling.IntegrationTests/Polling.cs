using Confluent.Kafka;
using StreamBilling.Kafka;

namespace StreamBilling.IntegrationTests;

/// <summary>Waiting without sleeping: poll a condition or a consumer until done or a deadline passes.</summary>
internal static class Polling
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until true; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
        }
    }

    /// <summary>Consumes until <paramref name="count"/> records arrived (on a worker thread: Consume blocks); fails after the timeout.</summary>
    public static Task<List<ConsumeResult<TKey, TValue>>> ConsumeAsync<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count, TimeSpan? timeout = null) =>
        Task.Run(() =>
        {
            var results = new List<ConsumeResult<TKey, TValue>>();
            var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
            while (results.Count < count)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out after {results.Count} of {count} records.");
                var result = consumer.ConsumeChecked(TimeSpan.FromMilliseconds(100));
                if (result is not null)
                {
                    results.Add(result);
                }
            }

            return results;
        });

    /// <summary>Consumes for <paramref name="window"/> and returns whatever arrived (to show that nothing more comes).</summary>
    public static Task<List<ConsumeResult<TKey, TValue>>> DrainAsync<TKey, TValue>(IConsumer<TKey, TValue> consumer, TimeSpan window) =>
        Task.Run(() =>
        {
            var results = new List<ConsumeResult<TKey, TValue>>();
            var end = DateTimeOffset.UtcNow + window;
            while (DateTimeOffset.UtcNow < end)
            {
                var result = consumer.ConsumeChecked(TimeSpan.FromMilliseconds(50));
                if (result is not null)
                {
                    results.Add(result);
                }
            }

            return results;
        });
}
