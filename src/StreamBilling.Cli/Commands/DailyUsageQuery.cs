using System.CommandLine;
using System.Globalization;
using StreamBilling.Billing.RateCards;
using StreamBilling.Events.Common;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Wire;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>streambilling query daily</c>: one account's usage of one service per UTC day from the daily usage view, the same
/// series as <c>GET /v1/usage</c> (<see cref="DailyUsageReport"/>), as a table.
/// </summary>
internal static class DailyUsageQuery
{
    public static Command Create()
    {
        var customer = new Option<string>("--customer") { Description = "The account, e.g. CUST0001.", Required = true };
        var service = new Option<string>("--service") { Description = "Service to report, e.g. cdn (any ServiceKind, case-insensitive).", DefaultValueFactory = _ => "cdn" };
        var from = new Option<DateOnly>("--from") { Description = "First day (UTC, inclusive), e.g. 2024-07-01.", Required = true };
        var to = new Option<DateOnly>("--to") { Description = "Last day (UTC, inclusive), e.g. 2024-07-31.", Required = true };
        var store = new UsageStoreOptions("DuckDB file of the store.");
        var rateCard = new Option<string>("--rate-card") { Description = "Rate card that prices CDN estimates (the pricing stream's).", DefaultValueFactory = _ => "infra/rate-card.json" };
        var daily = new Command("daily", "Quantity and cost per UTC day (CDN: estimate, authoritative figure, cost basis and reconciliation).")
        {
            customer, service, from, to, rateCard,
        };
        foreach (var option in store.All)
        {
            daily.Options.Add(option);
        }

        daily.SetAction(async (ParseResult pr, CancellationToken ct) =>
            store.Resolve(pr, pr.InvocationConfiguration.Error) is { } choice
                ? await RunAsync(
                    pr.GetValue(customer)!, pr.GetValue(service)!, pr.GetValue(from), pr.GetValue(to), choice, pr.GetValue(rateCard)!,
                    pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct)
                : 2);
        return daily;
    }

    private static async Task<int> RunAsync(
        string customer, string serviceName, DateOnly from, DateOnly to, UsageStoreChoice db, string rateCardPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var kind = WireEnums.ServiceNames.FirstOrDefault(n => n.Equals(serviceName, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            await stderr.WriteLineAsync($"Unknown service '{serviceName}'; one of: {string.Join(", ", WireEnums.ServiceNames)}.");
            return 2;
        }

        if (to < from || to.DayNumber - from.DayNumber + 1 > DailyUsageReport.MaxDays)
        {
            await stderr.WriteLineAsync($"--to must not be before --from, and the period covers at most {DailyUsageReport.MaxDays} days.");
            return 2;
        }

        if (db.Provider == UsageStoreProvider.DuckDb && !File.Exists(db.DuckDbPath))
        {
            await stderr.WriteLineAsync($"No store at {db.Describe()}.");
            return 2;
        }

        // Relative to the working directory, else to the build output (which holds infra/rate-card.json).
        var cardFile = Path.IsPathRooted(rateCardPath) || File.Exists(rateCardPath) ? rateCardPath : Path.Combine(AppContext.BaseDirectory, rateCardPath);
        RateCard card;
        try
        {
            card = RateCard.Load(cardFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RateCardException)
        {
            await stderr.WriteLineAsync($"--rate-card '{rateCardPath}': {e.Message}");
            return 2;
        }

        await using var store = await UsageStoreAccess.TryOpenAsync(db, stderr, ct);
        if (store is null)
        {
            return 1;
        }

        DailyUsageSeries series;
        try
        {
            series = await new DailyUsageReport(DailyUsageStores.Of(store), card).QueryAsync(customer, Enum.Parse<ServiceKind>(kind), from, to, ct);
        }
        catch (DailyUsageConflictException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 1;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"date",-10} {"quantity",16} {"unit",-12} {"cost",12} {"basis",-13} {"estimate",16} {"est_cost",12} {"authoritative",16} {"auth_cost",12} {"diff_cost",12}"));
        foreach (var day in series.Days)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{day.Date:yyyy-MM-dd} {day.Quantity,16} {day.Unit,-12} {day.Cost,12} {day.CostBasis,-13} {Text(day.Estimate?.Quantity),16} {Text(day.Estimate?.Cost),12} {Text(day.Authoritative?.Quantity),16} {Text(day.Authoritative?.Cost),12} {Text(day.Difference?.Cost),12}"));
        }

        await stderr.WriteLineAsync($"{series.Days.Count} day(s) of {customer}'s {series.Service} usage in {series.Currency}, {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (inclusive), store {db.Describe()}");
        return 0;
    }

    private static string Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
