using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>
/// The CDN registry endpoints: operators load and read the whole registry (the CLI's <c>cdn registry load|list</c>),
/// a customer reads its own distributions.
/// </summary>
internal static partial class CdnRegistryEndpoints
{
    public static async Task<Ok<CdnDistributionListResponse>> ListOwnAsync(string customerId, ICdnDistributionStore registry, CancellationToken cancellationToken)
    {
        var rows = await registry.ListDistributionsAsync(customerId, cancellationToken);
        return TypedResults.Ok(new CdnDistributionListResponse(customerId, [.. rows.Select(r => CdnDistributionItem.From(r.Distribution))]));
    }

    public static async Task<Ok<CdnRegistryResponse>> ListAllAsync(ICdnDistributionStore registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CdnRegistryResponse(await registry.ListDistributionsAsync(cancellationToken: cancellationToken)));

    /// <summary>
    /// Upserts the body, the registry file's JSON form (<c>{"distributions": [...]}</c>), in one transaction; a bad row
    /// answers 400 naming its line of the body and nothing is written.
    /// </summary>
    public static async Task<Results<Ok<CdnRegistryLoadResponse>, ValidationProblem>> LoadAsync(
        HttpRequest request,
        ICdnDistributionStore registry,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        IReadOnlyList<CdnDistribution> rows;
        try
        {
            rows = CdnRegistryFile.ReadJson(body.GetBuffer().AsSpan(0, (int)body.Length), "request body");
        }
        catch (CdnRegistryFileException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["distributions"] = [e.Message] });
        }

        var loaded = await registry.UpsertDistributionsAsync(rows, timeProvider.GetUtcNow(), cancellationToken);
        var customers = rows.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).Count();
        var logger = loggerFactory.CreateLogger(typeof(CdnRegistryEndpoints).FullName!);
        LogLoaded(logger, loaded, customers);
        return TypedResults.Ok(new CdnRegistryLoadResponse(loaded, customers));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CDN registry loaded through the usage API: {Loaded} distributions of {Customers} customers")]
    private static partial void LogLoaded(ILogger logger, int loaded, int customers);
}
