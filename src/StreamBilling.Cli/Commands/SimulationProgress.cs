using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using StreamBilling.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>The simulate command's display: a live table (events/s, per-topic acknowledged counts) on a terminal, a line every few seconds otherwise.</summary>
internal sealed class SimulationProgress(RecordPublisher publisher)
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private long _enqueued;
    private long _lastDelivered;
    private TimeSpan _lastAt;

    /// <summary>Counts one record handed to the producer.</summary>
    public void Enqueued() => Interlocked.Increment(ref _enqueued);

    /// <summary>Refreshes the display until <paramref name="work"/> completes.</summary>
    public async Task ShowUntilAsync(Task work, Stopwatch clock)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Live(Render(clock.Elapsed)).AutoClear(false).StartAsync(async ctx =>
            {
                while (!work.IsCompleted)
                {
                    await Task.WhenAny(work, Task.Delay(LiveInterval));
                    ctx.UpdateTarget(Render(clock.Elapsed));
                }
            });
            return;
        }

        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(PlainInterval));
            var (delivered, rate) = Sample(clock.Elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:hh\\:mm\\:ss}  {delivered:N0} acknowledged, {rate:N0} events/s, {publisher.Pauses} back-pressure pauses"));
        }
    }

    /// <summary>Prints the final per-topic counts.</summary>
    public void PrintSummary(TimeSpan elapsed, string outcome)
    {
        var delivered = publisher.DeliveredTotal;
        AnsiConsole.Write(TopicTable(publisher.Delivered));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{outcome}: {delivered:N0} events acknowledged in {elapsed.TotalSeconds:F1} s ({delivered / Math.Max(elapsed.TotalSeconds, 0.001):N0} events/s), {publisher.Failed} failed, {publisher.Pauses} back-pressure pauses"));
    }

    private Rows Render(TimeSpan elapsed)
    {
        var (delivered, rate) = Sample(elapsed);
        var header = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{elapsed:hh\\:mm\\:ss}[/]  enqueued [bold]{Interlocked.Read(ref _enqueued):N0}[/]  acknowledged [bold]{delivered:N0}[/]  [green]{rate:N0} events/s[/]  average {delivered / Math.Max(elapsed.TotalSeconds, 0.001):N0}/s  back-pressure pauses {publisher.Pauses}"));
        return new Rows(header, TopicTable(publisher.Delivered));
    }

    private (long Delivered, double Rate) Sample(TimeSpan elapsed)
    {
        var delivered = publisher.DeliveredTotal;
        var seconds = (elapsed - _lastAt).TotalSeconds;
        var rate = seconds > 0 ? (delivered - _lastDelivered) / seconds : 0;
        (_lastDelivered, _lastAt) = (delivered, elapsed);
        return (delivered, rate);
    }

    private static Table TopicTable(IReadOnlyDictionary<string, long> counts)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("topic").AddColumn(new TableColumn("records").RightAligned());
        foreach (var (topic, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            table.AddRow(Markup.Escape(topic), count.ToString("N0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
