using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StreamBilling.Api.Access;

/// <summary>Describes the API key (a bearer token) in the OpenAPI document and requires it on every operation.</summary>
internal static class ApiKeySecurityScheme
{
    private const string Name = "apiKey";

    public static Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key from 'streambilling apikey create' as 'Authorization: Bearer <key>' (or X-Api-Key). A customer key reads its own account; an operator key every account. Behind a gateway (Api:Access:Mode=Gateway) customers are identified by X-Customer-Id instead.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, document)] = [] }];
        return Task.CompletedTask;
    }
}
