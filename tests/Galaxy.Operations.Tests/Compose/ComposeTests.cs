using System.Text.RegularExpressions;
using Galaxy.Operations.Tests.Kubernetes;
using Galaxy.Testing.Processes;

namespace Galaxy.Operations.Tests.Compose;

/// <summary>
/// docker-compose.yml and its TLS overlay, parsed and cross-checked against what they start (no Docker engine here):
/// each part connects as its own database role after the schema job, every configuration key set is one the process
/// reads, every entry point is a program the Dockerfile publishes, and in TLS mode every hop has the certificate it
/// needs.
/// </summary>
public sealed partial class ComposeTests
{
    private static readonly string[] Silos = ["silo-0", "silo-1", "silo-2"];

    [Fact]
    public void Each_part_connects_as_its_own_role_and_only_the_schema_job_as_the_owner()
    {
        var compose = ComposeFile.Load("docker-compose.yml");

        Assert.Equal(["dotnet", "/app/cli/galaxy-cli.dll", "schema", "apply"], compose.List("migrate", "entrypoint"));
        Assert.Contains("Username=galaxy_owner;", compose.Environment("migrate")["GALAXY_CONNECTION_STRING"], StringComparison.Ordinal);
        foreach (var silo in Silos)
        {
            Assert.Contains("Username=galaxy_silo;", compose.Environment(silo)["ConnectionStrings__Galaxy"], StringComparison.Ordinal);
            var dependsOn = (Dictionary<object, object>)compose.Services[silo]["depends_on"];
            Assert.Equal("service_completed_successfully", ((Dictionary<object, object>)dependsOn["migrate"])["condition"]);
        }

        Assert.Contains("Username=galaxy_gateway;", compose.Environment("gateway")["ConnectionStrings__Galaxy"], StringComparison.Ordinal);
        Assert.DoesNotContain(compose.Services.Keys.Where(name => name != "migrate"), name =>
            compose.Environment(name).Values.Any(value => value.Contains("galaxy_owner", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_database_creates_the_roles_with_the_passwords_the_parts_use()
    {
        var compose = ComposeFile.Load("docker-compose.yml");
        var mount = Assert.Single(compose.List("postgres", "volumes"), volume => volume.Contains("docker-entrypoint-initdb.d", StringComparison.Ordinal));
        var script = File.ReadAllText(Path.Combine(RepositoryBuild.Root, mount.Split(':')[0]));
        var postgres = compose.Environment("postgres");

        foreach (Match password in PasswordVariable().Matches(script))
        {
            var variable = password.Groups[1].Value;
            Assert.Contains(variable, postgres.Keys);
            // The part that logs in as that role uses the same default.
            var used = compose.Services.Keys.SelectMany(name => compose.Environment(name).Values)
                .Where(value => value.Contains($"${{{variable}:-", StringComparison.Ordinal)).ToList();
            Assert.All(used, value => Assert.Contains(postgres[variable], value, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("docker-compose.yml")]
    [InlineData("docker-compose.tls.yml")]
    public void Every_configuration_key_set_is_one_the_process_reads(string overlay)
    {
        var compose = ComposeFile.Load(["docker-compose.yml", .. overlay == "docker-compose.yml" ? Array.Empty<string>() : [overlay]]);
        var unread = Silos.Select(name => (name, gateway: false)).Append(("gateway", true))
            .SelectMany(part => compose.Environment(part.Item1).Keys
                .Where(variable => !variable.StartsWith("DOTNET_", StringComparison.Ordinal))
                .Select(variable => variable.Replace("__", ":", StringComparison.Ordinal))
                .Where(key => !ConfigurationKeys.IsRead(key, part.Item2))
                .Select(key => $"{part.Item1}: {key}"))
            .ToList();

        Assert.Empty(unread);
    }

    [Fact]
    public void Every_entry_point_is_a_program_the_dockerfile_publishes()
    {
        var compose = ComposeFile.Load("docker-compose.yml", "docker-compose.tls.yml");
        var published = PublishedFolder().Matches(File.ReadAllText(Path.Combine(RepositoryBuild.Root, "Dockerfile")))
            .Select(match => (Project: match.Groups[1].Value, Folder: match.Groups[2].Value))
            .ToList();

        foreach (var (name, service) in compose.Services.Where(pair => pair.Value.ContainsKey("entrypoint") && pair.Key != "postgres"))
        {
            var program = compose.List(name, "entrypoint")[1];
            Assert.Contains(published, publish =>
                program == $"{publish.Folder}/{AssemblyName(publish.Project)}.dll");
        }
    }

    [Fact]
    public void In_tls_mode_every_hop_has_its_certificate_from_the_development_ca_and_the_gateway_serves_https_only()
    {
        var compose = ComposeFile.Load("docker-compose.yml", "docker-compose.tls.yml");
        Assert.Equal(["dotnet", "/app/cli/galaxy-cli.dll", "tls", "dev-ca", "--out", "/tls"], compose.List("certificates", "entrypoint"));

        foreach (var (part, certificate) in Silos.Select(silo => (silo, "silo")).Append(("gateway", "gateway")))
        {
            var environment = compose.Environment(part);
            Assert.Equal($"/tls/{certificate}.pem", environment["Galaxy__Tls__CertificateFile"]);
            Assert.Equal($"/tls/{certificate}.key", environment["Galaxy__Tls__KeyFile"]);
            Assert.Equal("/tls/ca.pem", environment["Galaxy__Tls__AuthorityFile"]);
            Assert.Contains("tls:/tls:ro", compose.List(part, "volumes"));
            // The database is reached by the name its certificate carries (galaxy-cli tls dev-ca issues galaxy-postgres).
            Assert.Contains("Host=galaxy-postgres;", environment["ConnectionStrings__Galaxy"], StringComparison.Ordinal);
        }

        Assert.Contains("https://0.0.0.0:5080", compose.List("gateway", "entrypoint"));
        Assert.Equal("/tls/gateway.pem", compose.Environment("gateway")["Kestrel__Certificates__Default__Path"]);
        Assert.Contains("SSL Mode=VerifyFull;Root Certificate=/tls/ca.pem", compose.Environment("migrate")["GALAXY_CONNECTION_STRING"], StringComparison.Ordinal);
        var postgres = compose.List("postgres", "command");
        Assert.Contains("ssl=on", postgres);
        var aliases = (List<object>)((Dictionary<object, object>)((Dictionary<object, object>)compose.Services["postgres"]["networks"])["default"])["aliases"];
        Assert.Contains("galaxy-postgres", aliases);
    }

    private static string AssemblyName(string project)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryBuild.Root, project));
        var named = Regex.Match(text, "<AssemblyName>([^<]+)</AssemblyName>");
        return named.Success ? named.Groups[1].Value : Path.GetFileNameWithoutExtension(project);
    }

    [GeneratedRegex(@"\$\{(GALAXY_[A-Z_]+_PASSWORD)\}")]
    private static partial Regex PasswordVariable();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj) -c Release -o (\S+)")]
    private static partial Regex PublishedFolder();
}
