// Kestrel and one route, without logging, middleware or Galaxy's code: the floor under the gateway's liveness probe.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/health/live", () => Results.Text("Healthy"));
app.Run();
