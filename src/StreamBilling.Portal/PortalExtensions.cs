using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace StreamBilling.Portal;

/// <summary>
/// The web portal at <c>/portal/</c>: a sign-in page for an API key and the account's invoices, daily usage, weekly
/// cost and CDN status, drawn from the <c>/v1</c> usage API by the browser. The files are embedded in this assembly.
/// </summary>
public static class PortalExtensions
{
    /// <summary>Where the portal is served.</summary>
    public const string Path = "/portal";

    // The page's scripts and styles come from this origin only, and nothing else may frame it: the API key lives in the
    // tab's sessionStorage, so injected script is what must never run.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly PortalFiles Files = PortalFiles.Load(typeof(PortalExtensions).Assembly);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps <c>GET /portal/{file}</c> (index.html for <c>/portal/</c>; <c>/portal</c> redirects there).</summary>
    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // One route for both: routing matches /portal and /portal/ alike.
        endpoints.MapGet(Path + "/{**file}", Serve).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(string? file, HttpContext http)
    {
        // The page's relative links (portal.js, vendor/…) resolve against /portal/, not against /.
        if (string.IsNullOrEmpty(file) && !http.Request.Path.Value!.EndsWith('/'))
        {
            return Results.Redirect(Path + "/" + http.Request.QueryString);
        }

        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        if (Files.Find(name) is not { } content)
        {
            return Results.Problem(title: "Not found", detail: "No such portal file.", statusCode: StatusCodes.Status404NotFound);
        }

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Always revalidate: a new host version must not run with an old script.
        headers.CacheControl = "no-cache";
        var contentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        return Results.Bytes(content, contentType);
    }
}
