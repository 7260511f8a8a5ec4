using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Galaxy.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MembershipTests(GalaxyTestCluster galaxy)
{
    private const int Active = 3;

    [Fact]
    public async Task Both_silos_are_active_in_the_ADO_NET_membership_table()
    {
        var active = await galaxy.Database.ScalarAsync<long>(
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = $2",
            galaxy.Cluster.Options.ClusterId, Active);

        Assert.Equal(2, active);
    }

    [Fact]
    public async Task A_grain_answers_through_the_gateway_of_either_silo()
    {
        var states = new List<UnitState>();
        foreach (var silo in galaxy.Cluster.Silos)
        {
            using var client = await ConnectThroughAsync(silo.GatewayAddress.Endpoint);
            states.Add(await client.Services.GetRequiredService<IClusterClient>().GetGrain<IAiUnitGrain>(30).GetState());
        }

        Assert.Equal(2, states.Count);
        Assert.Equal(states[0].CreatedAt, states[1].CreatedAt);
        Assert.Equal(states[0].Parameters, states[1].Parameters);
    }

    private async Task<IHost> ConnectThroughAsync(System.Net.IPEndPoint gateway)
    {
        var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client
                .UseStaticClustering(gateway)
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = galaxy.Cluster.Options.ClusterId;
                    options.ServiceId = galaxy.Cluster.Options.ServiceId;
                }))
            .Build();
        await host.StartAsync();
        return host;
    }
}
