using Galaxy.Grains;
using Galaxy.Registry.Monitoring;
using Galaxy.Silo.ControlPlane;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Galaxy.Silo.Monitoring;

public static class MonitoringSetup
{
    /// <summary>
    /// The silo's part in monitoring (<c>Galaxy:Monitoring</c>): the stores, the monitor grain kept active by every
    /// silo's supervisor, and a webhook dispatcher per silo.
    /// </summary>
    public static ISiloBuilder UseGalaxyMonitoring(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<MonitoringOptions>()
            .Bind(configuration.GetSection(MonitoringOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddSingleton(services => services.GetRequiredService<IOptions<MonitoringOptions>>().Value);
        silo.Services.AddSingleton<PerformanceLog>();
        silo.Services.AddSingleton<ThresholdStore>();
        silo.Services.AddSingleton<AlertStore>();
        silo.Services.AddSingleton<AlertDeliveries>();
        silo.Services.AddSingleton<AlertEvaluator>();
        silo.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<WebhookSender>(
            services, new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })));
        silo.Services.AddHostedService<WebhookDispatcher>();

        // The monitor is one grain, not a list of unfinished work: the supervisor watches it under one constant id.
        silo.Services.AddSingleton<IHostedService>(services => new ResumeSupervisor(
            "monitor", _ => Task.FromResult<IReadOnlyList<Guid>>([Guid.Empty]),
            _ => services.GetRequiredService<IGrainFactory>().GetGrain<IMonitoringGrain>(0).Watch(),
            services.GetRequiredService<IOptions<ControlPlaneOptions>>(), services.GetRequiredService<ILogger<ResumeSupervisor>>()));
        return silo;
    }
}
