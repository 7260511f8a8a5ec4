using Galaxy.Contracts;
using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Options;

namespace Galaxy.Gateway.Monitoring;

internal static class MonitoringSetup
{
    /// <summary>The gateway's side of monitoring (<c>Galaxy:Monitoring</c>, as the silos read it): the log, thresholds, alerts and deliveries.</summary>
    public static WebApplicationBuilder AddGalaxyMonitoring(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MonitoringOptions>()
            .Bind(builder.Configuration.GetSection(MonitoringOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<MonitoringOptions>>().Value);
        builder.Services.AddSingleton<PerformanceLog>();
        builder.Services.AddSingleton<ThresholdStore>();
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<AlertDeliveries>();
        return builder;
    }
}
