using System.ComponentModel.DataAnnotations;
using System.Net;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Galaxy.Silo.Tests;

/// <summary>
/// The silo's host as its program builds it, from the command line (built, not started): where the silo sits in its
/// cluster, and settings that cannot work refused before anything starts, with what is wrong.
/// </summary>
public sealed class SiloHostTests
{
    [Fact]
    public void Command_line_settings_place_the_silo_in_its_cluster()
    {
        using var host = SiloHost.CreateBuilder(Args(
            "--Galaxy:Cluster:ClusterId=blue", "--Galaxy:Cluster:ServiceId=sky", "--Galaxy:Cluster:SiloPort=12111",
            "--Galaxy:Cluster:GatewayPort=31000", "--Galaxy:Cluster:SiloName=silo-7")).Build();

        var cluster = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(("blue", "sky"), (cluster.ClusterId, cluster.ServiceId));
        Assert.Equal((12111, 31000), (endpoints.SiloPort, endpoints.GatewayPort));
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal("silo-7", host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
    }

    [Fact]
    public void An_advertised_host_name_is_resolved_to_its_address_once_at_start()
    {
        using var host = SiloHost.CreateBuilder(Args("--Galaxy:Cluster:AdvertisedAddress=localhost")).Build();

        Assert.Equal(IPAddress.Loopback, host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.AdvertisedIPAddress);
    }

    [Fact]
    public void Cluster_settings_that_cannot_work_stop_the_silo_before_it_starts_with_every_problem_named()
    {
        var error = Assert.Throws<ValidationException>(() => SiloHost.CreateBuilder(Args("--Galaxy:Cluster:SiloPort=0", "--Galaxy:Cluster:ClusterId=")));

        Assert.StartsWith("Galaxy:Cluster is not valid:", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(GalaxyClusterOptions.SiloPort), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(GalaxyClusterOptions.ClusterId), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dashboard_sampling_faster_than_once_a_second_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SiloHost.CreateBuilder(Args($"--{GalaxySiloBuilderExtensions.DashboardCounterIntervalKey}=0")));

        Assert.Equal($"{GalaxySiloBuilderExtensions.DashboardCounterIntervalKey} must be at least 1 second.", error.Message);
    }

    [Fact]
    public async Task A_metrics_port_serves_the_silos_instruments_to_prometheus()
    {
        var port = LoopbackPort.Free();
        using var host = SiloHost.CreateBuilder(Args($"--Galaxy:Metrics:Port={port}")).Build();

        // The listener starts with the meter provider, as the host's start would build it.
        _ = host.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
        using var http = new HttpClient();
        using var scrape = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics/"));

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("text/plain", scrape.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    // A connection string is all a silo needs beyond appsettings.json; nothing here connects to it.
    private static string[] Args(params string[] settings) =>
        ["--ConnectionStrings:Galaxy=Host=127.0.0.1;Port=5432;Username=galaxy_silo;Database=galaxy", .. settings];
}
