using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamBilling.Api.Access;
using StreamBilling.Pipeline.Wire;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api;

/// <summary>The usage endpoints: the analyst's weekly cost of the caller's account (the CLI's <c>query weekly-cost</c>).</summary>
internal static class UsageEndpoints
{
    private const string DateFormat = "yyyy-MM-dd";

    public static async Task<Results<Ok<WeeklyCostResponse>, ValidationProblem>> WeeklyCostAsync(
        string? service,
        string? from,
        string? to,
        string? partitionKey,
        string? customerId,
        ClaimsPrincipal user,
        IRollupStore store,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        // A customer always reads its own account (AccountScopeFilter has answered 404 to any other customerId); an
        // operator reads the account it names, or every account summed when it names none.
        var caller = Caller.From(user) ?? throw new InvalidOperationException("The /v1 group requires an authenticated caller.");
        var account = caller.IsOperator ? (string.IsNullOrEmpty(customerId) ? null : customerId) : caller.AccountId;
        if (account is not null && !ApiKeyFile.IsValidAccountId(account))
        {
            errors["customerId"] = [$"An account id of 1 to {ApiKeyFile.MaxAccountIdLength} printable characters, or absent for every account."];
        }

        // Names only: Enum.TryParse would also take "1".
        var kind = WireEnums.ServiceNames.FirstOrDefault(n => n.Equals(service, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            errors["service"] = [$"Required, one of: {string.Join(", ", WireEnums.ServiceNames)} (case-insensitive)."];
        }

        var start = ParseDay(from, "from", errors);
        var end = ParseDay(to, "to", errors);
        if (start is not null && end is not null && end <= start)
        {
            errors["to"] = ["Must be after from."];
        }

        if (partitionKey is not null && (partitionKey.Split('#') is not [{ Length: > 0 }, { Length: > 0 }]))
        {
            errors["partitionKey"] = ["Must be region#role, e.g. us-east-1#Admin (encode # as %23)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var until = end!.Value;
        var rows = partitionKey is null
            ? await WeeklyCostReport.QueryAsync(store, account, kind!, start!.Value, until, cancellationToken)
            : await store.WeeklyAsync(WeeklyUsageQuery.ForPeriod(account, partitionKey, kind!, start!.Value, until), cancellationToken);
        return TypedResults.Ok(new WeeklyCostResponse(
            kind!,
            account,
            start.Value,
            until,
            partitionKey,
            [.. rows.Select(r => new WeeklyCostRow(r.Region, r.Role, r.IsoWeek, r.UsageQuantity, r.Cost, r.Hours))]));
    }

    private static DateTimeOffset? ParseDay(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors[name] = [$"Required, a UTC day as {DateFormat}."];
        return null;
    }
}
