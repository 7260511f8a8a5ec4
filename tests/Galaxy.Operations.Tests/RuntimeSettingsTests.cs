using System.Xml.Linq;
using Galaxy.Operations.Tests.Compose;
using Galaxy.Operations.Tests.Kubernetes;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests;

/// <summary>
/// The runtime settings that travel with a build (the csproj's GC properties and runtimeconfig options) are the ones
/// measured: the benchmark process hosts the silo, so it runs with the silo's, as <c>./galaxy up</c>'s silo does; the
/// stock server that <c>./galaxy bench gateway</c> compares the gateway with runs with the gateway's. And the settings
/// that only the environment carries are the same wherever Galaxy is deployed.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static readonly string[] GcProperties = ["ServerGarbageCollection", "GarbageCollectionAdaptationMode", "ConcurrentGarbageCollection"];

    [Fact]
    public void The_benchmark_process_runs_with_the_silos_runtime_settings()
    {
        var silo = Settings("Silo/Galaxy.Silo.csproj");

        Assert.Contains("GarbageCollectionAdaptationMode=0", silo);
        Assert.Equal(silo, Settings("bench/Galaxy.Bench/Galaxy.Bench.csproj"));
    }

    [Fact]
    public void The_stock_server_runs_with_the_gateways_runtime_settings()
    {
        var gateway = Settings("Client/Gateway/Galaxy.Gateway.csproj");

        Assert.Contains("ServerGarbageCollection=true", gateway);
        Assert.Equal(gateway, Settings("bench/Galaxy.Stock/Galaxy.Stock.csproj"));
    }

    [Fact]
    public void The_gateway_and_the_load_client_do_not_spin_for_work()
    {
        Assert.Contains("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit=0", Settings("Client/Gateway/Galaxy.Gateway.csproj"));
        Assert.Contains("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit=0", Settings("bench/Galaxy.Load/Galaxy.Load.csproj"));
    }

    [Fact]
    public async Task Every_deployment_sets_the_environment_that_the_tests_and_benchmarks_give_each_process()
    {
        var compose = ComposeFile.Load("docker-compose.yml");
        var kubernetes = await RenderedManifests.RenderAsync("base");
        var script = await GalaxyScript.ShellAsync(GalaxyScript.Repository, "source ./galaxy && echo \"$(silo_gen0_budget) $(gateway_gen0_budget)\"");

        var silo = Runtime(DeployedEnvironment.SiloDefaults);
        var gateway = Runtime(DeployedEnvironment.GatewayDefaults);
        Assert.NotEqual(silo, gateway);
        Assert.Equal(silo, Runtime(compose.Environment("silo-0")));
        Assert.Equal(gateway, Runtime(compose.Environment("gateway")));
        Assert.Equal(silo, Runtime(kubernetes.EnvironmentOf("galaxy-silo")));
        Assert.Equal(gateway, Runtime(kubernetes.EnvironmentOf("galaxy-gateway")));
        Assert.Equal(
            $"{DeployedEnvironment.SiloDefaults[DeployedEnvironment.Gen0Budget]} {DeployedEnvironment.GatewayDefaults[DeployedEnvironment.Gen0Budget]}",
            script.Output.Trim());
    }

    /// <summary>The settings the runtime reads only from the environment, as <c>name=value</c>, sorted.</summary>
    private static string Runtime(IReadOnlyDictionary<string, string> environment) => string.Join(' ', environment
        .Where(variable => variable.Key is DeployedEnvironment.Gen0Budget or DeployedEnvironment.InlineSocketCompletions)
        .Select(variable => $"{variable.Key}={variable.Value}")
        .Order(StringComparer.Ordinal));

    /// <summary>The project's GC properties and runtimeconfig options, as <c>name=value</c>, sorted.</summary>
    private static string[] Settings(string project)
    {
        var document = XDocument.Load(Path.Combine(RepositoryBuild.Root, project));
        var properties = document.Descendants()
            .Where(element => GcProperties.Contains(element.Name.LocalName))
            .Select(element => $"{element.Name.LocalName}={element.Value}");
        var options = document.Descendants("RuntimeHostConfigurationOption")
            .Select(option => $"{option.Attribute("Include")!.Value}={option.Attribute("Value")!.Value}");
        return properties.Concat(options).Order(StringComparer.Ordinal).ToArray();
    }
}
