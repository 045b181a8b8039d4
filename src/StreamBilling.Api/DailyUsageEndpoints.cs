using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamBilling.Api.Access;
using StreamBilling.Events.Common;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Api;

/// <summary>
/// <c>GET /v1/usage?service=&amp;from=&amp;to=[&amp;customerId=]</c>: one account's usage of one service per UTC day
/// (<see cref="DailyUsageReport"/>). A customer reads its own account (naming another one is 404); an operator names the
/// account with <c>customerId</c>.
/// </summary>
internal static class DailyUsageEndpoints
{
    /// <summary>What the OpenAPI document says about the endpoint and its answer.</summary>
    public const string Description = """
        One point per UTC day from `from` to `to` (both yyyy-MM-dd, inclusive, at most 366 days); days without usage are zero points.
        `service` is required (one series per request; ask once per service for several). A customer caller reads its own
        account (`customerId` may be omitted; another account's id gives 404); an operator must pass `customerId`.
        `quantity` is in `unit` (GB for CDN), `cost` in `currency`; money and quantities are exact decimals.
        `costBasis`: `Priced` (every service but CDN: the day's priced lines), or for CDN `Authoritative` (the Cost Explorer figure
        as billed, once it arrived, about a day later) or `Estimate` (the CloudWatch samples, near-real-time, priced with the rate
        card's graduated tiers on top of the month-to-date). CDN days carry both figures, `estimate` and `authoritative` (null when
        absent); a day with both that differ is `reconciled: true` with `difference` = authoritative minus estimate. For other services
        `estimate`, `authoritative` and `difference` are null and `reconciled` false. 409 when the stored usage cannot form one series
        (costs in two currencies, or an estimate with no rate for its day).
        """;

    private const string DateFormat = "yyyy-MM-dd";
    private const int MaxCustomerIdLength = 128;

    public static async Task<Results<Ok<DailyUsageSeries>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? service,
        string? from,
        string? to,
        string? customerId,
        ClaimsPrincipal user,
        DailyUsageReport report,
        CancellationToken cancellationToken)
    {
        // The /v1 group's filter has established the caller.
        var caller = Caller.From(user)!;
        if (!caller.IsOperator && customerId is not null && !caller.MaySee(customerId))
        {
            return TypedResults.Problem(title: "Not found", detail: "No such resource.", statusCode: StatusCodes.Status404NotFound);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var account = caller.IsOperator ? customerId : caller.AccountId;
        if (string.IsNullOrWhiteSpace(account))
        {
            errors["customerId"] = ["Required for an operator: the account to read."];
        }
        else if (account.Length > MaxCustomerIdLength || account.Any(char.IsControl))
        {
            errors["customerId"] = [$"At most {MaxCustomerIdLength} characters, no control characters."];
        }

        // Names only: Enum.TryParse would also take "1".
        var kind = WireEnums.ServiceNames.FirstOrDefault(n => n.Equals(service, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            errors["service"] = [$"Required, one of: {string.Join(", ", WireEnums.ServiceNames)} (case-insensitive)."];
        }

        var first = ParseDay(from, "from", errors);
        var last = ParseDay(to, "to", errors);
        if (first is not null && last is not null)
        {
            if (last < first)
            {
                errors["to"] = ["Must not be before from."];
            }
            else if (last.Value.DayNumber - first.Value.DayNumber + 1 > DailyUsageReport.MaxDays)
            {
                errors["to"] = [$"The period covers at most {DailyUsageReport.MaxDays} days."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            return TypedResults.Ok(await report.QueryAsync(account!, Enum.Parse<ServiceKind>(kind!), first!.Value, last!.Value, cancellationToken));
        }
        catch (DailyUsageConflictException e)
        {
            return TypedResults.Problem(title: "Usage cannot be shown as one series", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static DateOnly? ParseDay(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[name] = [$"Required, a UTC day as {DateFormat}."];
        return null;
    }
}
