using StreamBilling.Contracts;
using StreamBilling.Host.Demo;
using StreamBilling.Host.FlowReport;
using StreamBilling.Host.Simulation;
using StreamBilling.Host.Telemetry;
using StreamBilling.Kafka;

var builder = WebApplication.CreateBuilder(args);

// One line per component. Hosted services start in this order and stop in reverse: consumers are added before the
// producers that feed them, so at shutdown the producers stop first and the consumers read what is left.
builder.AddStreamBillingTelemetry();
builder.AddStreamBillingKafka(Topics.AllWithDeadLetters()); // cluster, registry, topic provisioning, schema registration
builder.AddTopicFlowReport();
//// Stream-processing topologies go here, each as one AddXxx (consumers of usage, producers of outputs).
builder.AddUsageSimulator();
builder.AddDemoDuration(args);

var app = builder.Build();
app.MapGet("/health", () => Results.Ok("ok"));
await app.RunAsync();
