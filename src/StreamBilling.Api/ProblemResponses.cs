using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace StreamBilling.Api;

/// <summary>
/// Makes every error response of the host an RFC 9457 problem (<c>application/problem+json</c>) without internal details:
/// unhandled exceptions (500), responses that set an error status without a body (unknown route 404, wrong method 405,
/// unreadable or oversized JSON body 400/413), and request targets longer than <see cref="MaxRequestTargetLength"/> (414).
/// Kestrel answers some malformed requests itself, before any middleware, with an empty body (its errors are not
/// customisable): a path with a percent-encoded NUL (<c>%00</c>; 400, "The path contains null characters" in its log), a
/// request line over <see cref="KestrelMaxRequestLineSize"/> (414), headers over Kestrel's header limits (431), or a
/// request line that is not HTTP at all (400). Raising Kestrel's request-line limit above the API's own keeps the 414 an
/// ordinary URL can reach in the application, where it gets a body.
/// </summary>
public static class ProblemResponses
{
    /// <summary>Longest path plus query string the API answers; longer ones get 414 problem details.</summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit: beyond it Kestrel answers 414 itself, with an empty body.</summary>
    public const int KestrelMaxRequestLineSize = 64 * 1024;

    /// <summary>Largest request body (the API's bodies are a few hundred bytes); larger ones get 413 problem details.</summary>
    public const long MaxRequestBodySize = 64 * 1024;

    /// <summary>Kestrel limits that keep the API's own 413 and 414 answers in the application (see the type's summary).</summary>
    public static IServiceCollection ConfigureProblemResponseLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = KestrelMaxRequestLineSize;
            o.Limits.MaxRequestHeadersTotalSize = Math.Max(o.Limits.MaxRequestHeadersTotalSize, KestrelMaxRequestLineSize);
            o.Limits.MaxRequestBodySize = MaxRequestBodySize;
        });

    /// <summary>
    /// Adds the exception handler, status code pages (both writing problem details through <c>AddProblemDetails</c>) and
    /// the request-target length check; call it first, before mapping endpoints.
    /// </summary>
    public static IApplicationBuilder UseProblemResponses(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RejectLongTargetsAsync);
        return app;
    }

    private static Task RejectLongTargetsAsync(HttpContext context, RequestDelegate next)
    {
        // Left without a body: the status code pages write the problem.
        var request = context.Request;
        if (request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length > MaxRequestTargetLength)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
