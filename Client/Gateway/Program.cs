using Galaxy.Gateway;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Dashboard;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.GraphQL;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.Health;
using Galaxy.Gateway.RateLimits;
using Galaxy.Gateway.Deployments;
using Galaxy.Gateway.Inference;
using Galaxy.Gateway.OpenApi;
using Galaxy.Gateway.Monitoring;
using Galaxy.Gateway.Metrics;
using Galaxy.Gateway.Optimization;
using Galaxy.Gateway.Training;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using Galaxy.Registry.Protection;
using Galaxy.Registry.Training;
using Galaxy.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Galaxy.Gateway.Overload;

// appsettings.json (the log levels among it) is read from beside the program, wherever it was started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Logging.AddGalaxyLogFile(builder.Configuration);
builder.AddGalaxyLogRedaction();
var metrics = builder.AddGatewayMetrics();
// HTTPS (Kestrel:Endpoints or Kestrel:Certificates:Default with an https URL) speaks TLS 1.2 or 1.3, 1.3 preferred.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
    https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
builder.Services.AddHostedService<SchemaStartup>();
builder.AddGalaxyClusterClient();
builder.AddGuardian();
builder.AddGalaxyRateLimits();
builder.AddGalaxyInFlightLimit();
builder.Services.AddSingleton<TopologyCache>();
builder.AddGalaxyAudit();
builder.Services.AddOptions<DataProtectionOptions>().Bind(builder.Configuration.GetSection(DataProtectionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(services => DataProtector.Create(services.GetRequiredService<IOptions<DataProtectionOptions>>(), services.GetRequiredService<ILogger<DataProtector>>()));
builder.Services.AddSingleton<ModelRegistry>();
builder.Services.AddSingleton<DatasetStore>();
builder.Services.AddSingleton<TrainingJobStore>();
builder.Services.AddSingleton<DeploymentStore>();
builder.Services.AddSingleton<ApprovalStore>();
builder.Services.AddSingleton<ServingIndex>();
builder.Services.AddSingleton<ModelDirectory>();
builder.Services.AddSingleton<ModelRoutes>();
builder.Services.AddSingleton<InferenceLog>();
builder.Services.AddSingleton<InferenceMonitor>();
builder.Services.AddHostedService(services => services.GetRequiredService<InferenceMonitor>());
builder.Services.AddSingleton<ModelFigureSeries>();
builder.AddGalaxyMonitoring();
builder.Services.AddOptions<DatasetOptions>().Bind(builder.Configuration.GetSection(DatasetOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.AddCode);
// Unreadable bodies raise BadHttpRequestException, so they reach the exception handler and get a problem code.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.MaxDepth = BodyLimit.MaxJsonDepth);
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.AddGalaxyOpenApi();
builder.AddGalaxyGraphQL();
builder.Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
    .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);

var app = builder.Build();

app.UseExceptionHandler();
app.UseHsts();
app.UseStatusCodePages();
app.UseMiddleware<BodyLimit>();
app.UseMiddleware<InFlightLimit>();
app.UseAuthentication();
app.UseRateLimiter();
app.UseMiddleware<AuditTrail>();
// Again inside the audit trail, so that it records the status an endpoint's failure turns into.
app.UseExceptionHandler();
app.UseAuthorization();

app.MapOpenApi();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
app.MapAuthEndpoints();
app.MapUnitEndpoints();
app.MapLabscapeEndpoints();
app.MapGalaxyEndpoints();
app.MapModelEndpoints();
app.MapDatasetEndpoints();
app.MapTrainingEndpoints();
app.MapOptimizationEndpoints();
app.MapDeploymentEndpoints();
app.MapApprovalEndpoints();
app.MapInferenceEndpoints();
app.MapAuditEndpoints();
app.MapGalaxyGraphQL();
app.MapMonitoringEndpoints();
app.MapAlertEndpoints();
app.MapGalaxyDashboard();
app.MapMetricsEndpoint(metrics);

await app.RunAsync();

/// <summary>The gateway's entry point, visible to the test host.</summary>
public partial class Program;
