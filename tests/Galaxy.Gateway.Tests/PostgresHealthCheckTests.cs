using Galaxy.Gateway.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Galaxy.Gateway.Tests;

/// <summary>The gateway is not ready while PostgreSQL cannot be reached, and says so rather than failing the probe.</summary>
public sealed class PostgresHealthCheckTests
{
    [Fact]
    public async Task A_database_that_answers_makes_the_gateway_ready()
    {
        await using var database = await TestDatabase.CreateAsync();

        var result = await Check(new Dictionary<string, string?> { ["ConnectionStrings:Galaxy"] = database.ConnectionString });

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task A_database_that_refuses_connections_makes_the_gateway_unready()
    {
        var result = await Check(new Dictionary<string, string?> { ["ConnectionStrings:Galaxy"] = "Host=127.0.0.1;Port=1;Timeout=2" });

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("PostgreSQL is unreachable.", result.Description);
        Assert.NotNull(result.Exception);
    }

    [Fact]
    public async Task No_connection_string_makes_the_gateway_unready()
    {
        var result = await Check([]);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.IsType<InvalidOperationException>(result.Exception);
    }

    private static Task<HealthCheckResult> Check(Dictionary<string, string?> settings) =>
        new PostgresHealthCheck(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .CheckHealthAsync(new HealthCheckContext());
}
