using StreamBilling.Api;
using StreamBilling.Contracts;
using StreamBilling.Host.Demo;
using StreamBilling.Host.FlowReport;
using StreamBilling.Host.Health;
using StreamBilling.Host.Lifetime;
using StreamBilling.Host.Simulation;
using StreamBilling.Host.Telemetry;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Portal;

// Settings come from the build output's appsettings.json; relative data paths are relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// One line per component. Hosted services start in this order and stop in reverse: consumers are added before the
// producers that feed them, so at shutdown the producers stop first and the consumers read what is left.
builder.AddStreamBillingTelemetry();  // OpenTelemetry: OTLP when configured, Prometheus scrape at /metrics
builder.AddStreamBillingHealth();     // /health/live, /health/ready (stream applications, store, consumer loops)
builder.AddStreamBillingKafka(Topics.AllWithDeadLetters()); // cluster, registry, topic provisioning, schema registration
builder.AddTopicFlowReport();
builder.AddCdnController();      // cdn.caps → CDN status store (DuckDB) + cdn.status
builder.AddRollupSink();         // rollups.hourly → rollup store (DuckDB)
builder.AddInvoiceSink();        // billing.invoices → invoice store (DuckDB), latest revision per invoice
builder.AddDailyUsageSink();     // billing.priced-lines + usage.cdn.traffic (CloudWatch) → daily usage view (DuckDB)
builder.AddHourlyRollups();      // billing.usage-segments + billing.priced-lines → rollups.hourly
builder.AddInvoices();           // billing.priced-lines + usage.eip.* → billing.invoices (InvoiceAssembler)
builder.AddPricing();            // billing.usage-segments, reservations, S3, DynamoDB → billing.priced-lines (UsagePricer)
builder.AddCdnCaps();            // usage.cdn.traffic (CloudWatch) → cdn.caps
builder.AddCdnUsageMessages();   // usage.cdn.cost-explorer → billing.cdn-usage-messages
builder.AddInstanceSessions();   // usage.ec2.instance-launched/-terminated → billing.usage-segments
builder.AddUsageSimulator();
builder.AddUsageApi();          // /v1 usage API over the same store and CdnController (docs: README, Usage API)
builder.AddDemoDuration(args);

var app = builder.Build();
app.UseProblemResponses();      // every error response is application/problem+json
app.MapStreamBillingHealth();    // /health (= /health/live), /health/live, /health/ready
app.MapStreamBillingMetrics();   // /metrics (Prometheus)
app.MapUsageApi();
app.MapPortal();                // /portal/: the web portal over the usage API (docs/portal.md)
// Non-zero when a component failed, so a supervisor restarts the process.
return await HostExitCode.RunAsync(app);
