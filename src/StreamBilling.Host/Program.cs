using StreamBilling.Host.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddStreamBillingTelemetry();

var app = builder.Build();
app.MapGet("/health", () => Results.Ok("ok"));
await app.RunAsync();
