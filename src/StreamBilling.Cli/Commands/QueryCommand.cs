using System.CommandLine;
using System.Globalization;
using StreamBilling.Pipeline.Wire;
using StreamBilling.Storage;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling query weekly-cost</c>: the analyst question, answered from the rollup store; <c>query daily</c>: <see cref="DailyUsageQuery"/>.</summary>
internal sealed class QueryCommand : ICliCommand
{
    /// <summary>What the account column shows when the rows sum every account.</summary>
    private const string AllAccounts = "(all)";

    public Command Create()
    {
        var service = new Option<string>("--service") { Description = "Service to report, e.g. ec2 (any ServiceKind, case-insensitive).", DefaultValueFactory = _ => "ec2" };
        var from = new Option<DateOnly>("--from") { Description = "First day (UTC, inclusive), e.g. 2024-07-01.", Required = true };
        var to = new Option<DateOnly>("--to") { Description = "Last day (UTC, exclusive), e.g. 2024-08-01.", Required = true };
        var customer = new Option<string?>("--customer") { Description = "Customer account to report, e.g. CUST0001; without it every account, summed." };
        var store = new UsageStoreOptions("DuckDB file of the rollup store.");
        var weeklyCost = new Command("weekly-cost", "Usage minutes and cost per region, role and ISO week over a period (one row per region, role and week) of one account or all.")
        {
            service, from, to, customer,
        };
        foreach (var option in store.All)
        {
            weeklyCost.Options.Add(option);
        }

        weeklyCost.SetAction(async (ParseResult pr, CancellationToken ct) =>
            store.Resolve(pr, pr.InvocationConfiguration.Error) is { } choice
                ? await RunAsync(pr.GetValue(service)!, pr.GetValue(from), pr.GetValue(to), pr.GetValue(customer), choice, pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct)
                : 2);
        return new Command("query", "Query the rollup store and the daily usage view.") { weeklyCost, DailyUsageQuery.Create() };
    }

    private static async Task<int> RunAsync(string serviceName, DateOnly from, DateOnly to, string? customer, UsageStoreChoice db, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!WireEnums.TryParseService(serviceName, out var service))
        {
            await stderr.WriteLineAsync($"Unknown service '{serviceName}'; one of: {string.Join(", ", WireEnums.ServiceNames)}.");
            return 2;
        }

        if (customer is not null && string.IsNullOrWhiteSpace(customer))
        {
            await stderr.WriteLineAsync("--customer must name an account (leave it out for every account).");
            return 2;
        }

        if (to <= from)
        {
            await stderr.WriteLineAsync("--to must be after --from.");
            return 2;
        }

        if (db.Provider == UsageStoreProvider.DuckDb && !File.Exists(db.DuckDbPath))
        {
            await stderr.WriteLineAsync($"No rollup store at {db.Describe()}.");
            return 2;
        }

        await using var store = await UsageStoreAccess.TryOpenAsync(db, stderr, ct);
        if (store is null)
        {
            return 1;
        }

        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var rows = await WeeklyCostReport.QueryAsync(store, customer, service.ToString(), start, end, ct);

        // Without --customer each row sums every account: the column says so rather than naming one.
        var account = customer ?? AllAccounts;
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"account",-16} {"region",-16} {"role",-16} {"week",-8} {"usage_minutes",16} {"cost",14}"));
        foreach (var row in rows)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{account,-16} {row.Region,-16} {row.Role,-16} {row.IsoWeek,-8} {row.UsageQuantity,16:0.##} {row.Cost,14:0.000000}"));
        }

        await stderr.WriteLineAsync($"{rows.Count} row(s), {service} usage of {(customer is null ? "every account" : "account " + customer)} from {from:yyyy-MM-dd} until {to:yyyy-MM-dd} (exclusive), store {db.Describe()}");
        return 0;
    }
}
