using Galaxy.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace Galaxy.Cluster.Tests;

/// <summary>The silo's dashboard samples Orleans's counters once a minute, not every second, unless told otherwise.</summary>
public sealed class DashboardFeedTests
{
    [Fact]
    public void The_dashboard_samples_the_runtime_counters_once_a_minute_by_default()
    {
        using var host = SiloHost(new Dictionary<string, string?>());

        Assert.Equal(60_000, DashboardCounterFeed.IntervalOf(host.Services.GetRequiredService(DashboardCounterFeed.Type)));
    }

    [Fact]
    public void Galaxy_Dashboard_CounterIntervalSeconds_sets_the_sampling_period()
    {
        using var host = SiloHost(new Dictionary<string, string?> { [GalaxySiloBuilderExtensions.DashboardCounterIntervalKey] = "5" });

        Assert.Equal(5_000, DashboardCounterFeed.IntervalOf(host.Services.GetRequiredService(DashboardCounterFeed.Type)));
    }

    [Fact]
    public void The_dashboard_still_starts_with_the_silo_and_profiles_grain_calls()
    {
        using var host = SiloHost(new Dictionary<string, string?>());

        Assert.Contains(host.Services.GetServices<IHostedService>(), service => service.GetType() == DashboardCounterFeed.Type);
        Assert.Contains(host.Services.GetServices<IIncomingGrainCallFilter>(), filter => filter.GetType().Name == "GrainProfilerFilter");
    }

    [Fact]
    public void A_sampling_period_under_a_second_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SiloHost(new Dictionary<string, string?> { [GalaxySiloBuilderExtensions.DashboardCounterIntervalKey] = "0" }));

        Assert.Contains(GalaxySiloBuilderExtensions.DashboardCounterIntervalKey, error.Message);
    }

    private static IHost SiloHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseLocalhostClustering().UseGalaxyDashboard(builder.Configuration));
        return builder.Build();
    }
}
