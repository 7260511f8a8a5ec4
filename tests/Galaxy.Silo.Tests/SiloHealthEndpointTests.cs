using System.Collections.Immutable;
using System.Net;
using Galaxy.Silo.Health;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Galaxy.Silo.Tests;

/// <summary>
/// What Kubernetes probes: <c>/health/live</c> answers while the process serves, <c>/health/ready</c> only while the
/// silo is Active in the membership; no port, no endpoint.
/// </summary>
public sealed class SiloHealthEndpointTests
{
    private static readonly SiloAddress Address = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    [Fact]
    public async Task Live_answers_while_the_process_serves_and_ready_only_while_the_silo_is_active()
    {
        var membership = new Membership { Status = SiloStatus.Joining };
        var port = LoopbackPort.Free();
        var log = new RecordedLog<SiloHealthEndpoint>(LogLevel.Information);
        using var endpoint = Endpoint(port, membership, log);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await endpoint.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal($"Health endpoint on port {port}: /health/live, /health/ready", (await log.NextAsync()).Message);
            Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(http, "/health/live"));
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy: Joining"), await GetAsync(http, "/health/ready"));

            membership.Status = SiloStatus.Active;
            Assert.Equal((HttpStatusCode.OK, "Healthy: Active"), await GetAsync(http, "/health/ready/"));

            membership.Status = SiloStatus.ShuttingDown;
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy: ShuttingDown"), await GetAsync(http, "/health/ready"));
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(http, "/health/other")).Status);
        }
        finally
        {
            await endpoint.StopAsync(CancellationToken.None);
        }

        Assert.True(endpoint.ExecuteTask!.IsCompletedSuccessfully, "stopping the silo did not end its health endpoint cleanly");
    }

    [Fact]
    public async Task Without_a_port_there_is_no_endpoint()
    {
        using var endpoint = Endpoint(0, new Membership { Status = SiloStatus.Active });

        await endpoint.StartAsync(CancellationToken.None);

        // It returns at once instead of listening; a listener would keep it running until the silo stops.
        await endpoint.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(endpoint.ExecuteTask.IsCompletedSuccessfully);
    }

    private static SiloHealthEndpoint Endpoint(int port, Membership membership, ILogger<SiloHealthEndpoint>? log = null) => new(
        Options.Create(new SiloHealthOptions { Port = port }), membership, new LocalSilo(), log ?? NullLogger<SiloHealthEndpoint>.Instance);

    private static async Task<(HttpStatusCode Status, string Text)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The cluster's membership as this one silo sees it, its status set by the test.</summary>
    private sealed class Membership : IClusterMembershipService
    {
        public SiloStatus Status { get; set; }

        public ClusterMembershipSnapshot CurrentSnapshot => new(
            ImmutableDictionary<SiloAddress, ClusterMember>.Empty.Add(Address, new ClusterMember(Address, Status, "silo")), new MembershipVersion(1));

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => throw new NotSupportedException();
    }

    private sealed class LocalSilo : ILocalSiloDetails
    {
        public string Name => "silo";

        public string ClusterId => "galaxy";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => Address;

        public SiloAddress GatewayAddress => Address;
    }
}
