using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StreamBilling.Api.Access;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Api;

/// <summary>
/// The versioned JSON usage API: <see cref="AddUsageApi"/> registers what it needs, <see cref="MapUsageApi"/> maps the
/// <c>/v1</c> endpoints and the OpenAPI document (<c>/openapi/v1.json</c>). Errors are RFC 9457 problem details.
/// </summary>
public static class UsageApiExtensions
{
    /// <summary>
    /// Adds the usage store (<see cref="PipelineHostBuilderExtensions.AddUsageStore"/>), the daily usage report
    /// (<see cref="DailyUsageHostBuilderExtensions.AddDailyUsageReport"/>), the <see cref="CdnController"/>
    /// (the one the controller service uses when that is registered), problem details and the Kestrel limits of
    /// <see cref="ProblemResponses"/> (add its middleware with <see cref="ProblemResponses.UseProblemResponses"/>), string enums in JSON, the OpenAPI
    /// document, and an <see cref="ICdnStatusPublisher"/> on Kafka unless one is registered already (needs
    /// <c>AddStreamBillingKafka</c>). Callers are identified as <see cref="ApiAccessOptions"/> (section <c>Api:Access</c>)
    /// says: API keys from the key file, or the gateway's <c>X-Customer-Id</c>.
    /// </summary>
    public static IHostApplicationBuilder AddUsageApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddUsageStore();
        builder.AddDailyUsageReport();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new CdnController(sp.GetRequiredService<ICdnStatusStore>(), sp.GetRequiredService<ICdnDistributionStore>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<ICdnStatusPublisher>(sp => new KafkaCdnStatusPublisher(sp.GetRequiredService<KafkaClientFactory>()));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureProblemResponseLimits();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer(ApiKeySecurityScheme.ApplyAsync));
        builder.Services.AddOptions<ApiAccessOptions>()
            .Bind(builder.Configuration.GetSection(ApiAccessOptions.SectionName))
            .Validate(o => Enum.IsDefined(o.Mode), "Api:Access:Mode must be ApiKeys or Gateway.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyFile), "Api:Access:KeyFile must name a file.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(sp => new ApiKeyFile(sp.GetRequiredService<IOptions<ApiAccessOptions>>().Value.KeyFile, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<AccountScopeFilter>();
        builder.Services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Maps <c>/v1/caller</c>, <c>/v1/customers</c>, <c>/v1/customers/{customerId}/cdn</c>, <c>/v1/customers/{customerId}/cdn/enable</c>,
    /// <c>/v1/customers/{customerId}/cdn/distributions</c>, <c>/v1/cdn/registry</c> (GET, POST),
    /// <c>/v1/customers/{customerId}/invoices</c>, <c>/v1/customers/{customerId}/invoices/{month}</c>,
    /// <c>/v1/usage/weekly-cost</c>, <c>/v1/usage</c> (daily usage) and the OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // The one document by its fixed path: the default /openapi/{documentName}.json (and a documentName query value)
        // answers unknown names with a text/plain 404 of its own instead of problem details.
        endpoints.MapOpenApi("/openapi/v1.json").AddEndpointFilter((context, next) =>
            context.HttpContext.Request.Query.ContainsKey("documentName")
                ? ValueTask.FromResult<object?>(TypedResults.Problem(title: "Not found", detail: "No such document.", statusCode: StatusCodes.Status404NotFound))
                : next(context));
        // Every /v1 endpoint needs a caller and is scoped to what the caller may see.
        var v1 = endpoints.MapGroup("/v1").RequireAuthorization().AddEndpointFilter<AccountScopeFilter>();
        v1.MapGet("/caller", CallerEndpoints.Get)
            .WithName("GetCaller")
            .WithSummary("Who the API takes the caller for: role (customer or operator) and, for a customer, its account.");
        v1.MapGet("/customers", CallerEndpoints.ListCustomersAsync)
            .WithName("ListCustomers")
            .WithSummary("Every account the store holds an invoice for (the portal's account picker). Operators only.")
            .WithMetadata(new OperatorOnly());
        v1.MapGet("/customers/{customerId}/cdn", CdnEndpoints.GetStatusAsync)
            .WithName("GetCdnStatus")
            .WithSummary("The customer's CDN distribution status; 404 when no cap ever disabled it.");
        v1.MapPost("/customers/{customerId}/cdn/enable", CdnEndpoints.EnableAsync)
            .WithName("EnableCdn")
            .WithSummary("Re-enables the customer's CDN distribution and publishes CdnStatusChanged; idempotent (a repeat answers 200 with changed=false). Operators only.")
            .WithMetadata(new OperatorOnly());
        v1.MapGet("/customers/{customerId}/cdn/distributions", CdnRegistryEndpoints.ListOwnAsync)
            .WithName("ListCdnDistributions")
            .WithSummary("The customer's CloudFront distributions from the CDN registry (id and domain; the S3 buckets stay hidden): the ones a cap disables.");
        v1.MapGet("/cdn/registry", CdnRegistryEndpoints.ListAllAsync)
            .WithName("GetCdnRegistry")
            .WithSummary("The whole CDN registry: customer, S3 bucket, distribution id and domain, added and updated times. Operators only.")
            .WithMetadata(new OperatorOnly());
        v1.MapPost("/cdn/registry", CdnRegistryEndpoints.LoadAsync)
            .WithName("LoadCdnRegistry")
            .WithSummary("Adds or updates CDN registry rows from a body in the registry file's JSON form ({\"distributions\": [{customerId, bucket, distributionId, domainName}]}): all rows or none; 400 names the bad row's line. Operators only.")
            .Accepts<CdnRegistryLoadRequest>("application/json")
            .WithMetadata(new OperatorOnly());
        v1.MapGet("/customers/{customerId}/invoices", InvoiceEndpoints.ListAsync)
            .WithName("ListInvoices")
            .WithSummary("The customer's billed months, oldest first: status, revision and totals of each month's latest invoice.");
        v1.MapGet("/customers/{customerId}/invoices/{month}", InvoiceEndpoints.GetAsync)
            .WithName("GetInvoice")
            .WithSummary("The latest invoice of one month (yyyy-MM): lines, corrections and totals; 404 when there is none.");
        v1.MapGet("/usage/weekly-cost", UsageEndpoints.WeeklyCostAsync)
            .WithName("GetWeeklyCost")
            .WithSummary("One service's usage and cost per region, role and ISO week over [from, to) of the caller's account. Operators read every account summed, or the one named by customerId; a customer naming another account gets 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/usage", DailyUsageEndpoints.GetAsync)
            .WithName("GetDailyUsage")
            .WithSummary("One account's usage and cost of one service per UTC day; for CDN the estimate, the authoritative figure and their reconciliation.")
            .WithDescription(DailyUsageEndpoints.Description);
        return endpoints;
    }
}
