using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Storage;

namespace StreamBilling.Api;

/// <summary>The CDN distribution endpoints: status read and the operator's re-enable (the CLI's <c>cdn status|enable</c>).</summary>
internal static partial class CdnEndpoints
{
    /// <summary>Longest operator reason accepted (it is stored and published with the status).</summary>
    public const int MaxReasonLength = 500;

    public static async Task<Results<Ok<CdnStatusResponse>, ProblemHttpResult>> GetStatusAsync(string customerId, ICdnStatusStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(customerId, cancellationToken);
        return current is null ? UnknownCustomer(customerId) : TypedResults.Ok(CdnStatusResponse.From(current));
    }

    public static async Task<Results<Ok<CdnEnableResponse>, ProblemHttpResult, ValidationProblem>> EnableAsync(
        string customerId,
        [FromBody] CdnEnableRequest? request,
        ICdnStatusStore store,
        CdnController controller,
        ICdnStatusPublisher publisher,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var reason = request?.Reason;
        if (reason is not null && reason.Length > MaxReasonLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"At most {MaxReasonLength} characters."] });
        }

        if (await store.GetAsync(customerId, cancellationToken) is null)
        {
            return UnknownCustomer(customerId);
        }

        // Null when the distribution is not disabled: an earlier enable did it, so this is a retry, and publishing that
        // enable's event again (same id) repairs a publish lost after the store was written.
        var change = await controller.EnableAsync(customerId, reason, cancellationToken);
        var changed = change is not null;
        change ??= await controller.CurrentChangeAsync(customerId, cancellationToken);
        var current = await store.GetAsync(customerId, cancellationToken);
        if (change is null || current is null || current.Status != DistributionStatus.Enabled || change.causeEventId != current.CauseId)
        {
            // A cap decision disabled it again between the calls: the caller decides whether to enable once more.
            return TypedResults.Problem(
                title: "CDN distribution disabled meanwhile",
                detail: $"The distribution of customer '{customerId}' was disabled again while it was being enabled; read its status and retry.",
                statusCode: StatusCodes.Status409Conflict);
        }

        await publisher.PublishAsync(change, cancellationToken);
        var logger = loggerFactory.CreateLogger(typeof(CdnEndpoints).FullName!);
        if (changed)
        {
            LogEnabled(logger, customerId, current.DistributionId, current.Reason, change.eventId);
        }
        else
        {
            LogRepublished(logger, customerId, current.DistributionId, change.eventId);
        }

        return TypedResults.Ok(new CdnEnableResponse(changed, change.eventId, CdnStatusResponse.From(current)));
    }

    private static ProblemHttpResult UnknownCustomer(string customerId) =>
        TypedResults.Problem(
            title: "Unknown customer",
            detail: $"The store holds no CDN distribution status for customer '{customerId}': no cap has ever disabled its distribution (or the id is wrong).",
            statusCode: StatusCodes.Status404NotFound);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CDN of {CustomerId} ({DistributionId}) re-enabled through the usage API: {Reason}; published {EventId}")]
    private static partial void LogEnabled(ILogger logger, string customerId, string distributionId, string reason, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "CDN of {CustomerId} ({DistributionId}) already enabled; published {EventId} again")]
    private static partial void LogRepublished(ILogger logger, string customerId, string distributionId, string eventId);
}
