using Galaxy.Testing.Processes;
using k8s.Models;

namespace Galaxy.Operations.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes, rendered as <c>kubectl kustomize</c> renders it and loaded as typed objects: what the issue
/// asks of it (probes, resources, autoscaling, disruption budgets, graceful shutdown, GPUs), and every configuration
/// key it sets is one the silo or the gateway reads.
/// </summary>
public sealed class KubernetesManifestTests
{
    // Runtime settings only the environment carries (README, "Runtime settings"): read by the runtime, not the app.
    private static readonly string[] RuntimeVariables = [DeployedEnvironment.Gen0Budget, DeployedEnvironment.InlineSocketCompletions];

    [Fact]
    public async Task The_base_runs_silos_and_gateways_with_probes_resources_autoscaling_and_disruption_budgets()
    {
        var manifests = await RenderedManifests.RenderAsync("base");

        var silo = manifests.Single<V1Deployment>("galaxy-silo");
        var gateway = manifests.Single<V1Deployment>("galaxy-gateway");
        foreach (var deployment in new[] { silo, gateway })
        {
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(new ResourceQuantity("8Gi"), container.Resources.Requests["memory"]);
            Assert.Equal(new ResourceQuantity("4"), container.Resources.Requests["cpu"]);
            Assert.Equal(new ResourceQuantity("16Gi"), container.Resources.Limits["memory"]);
            Assert.Equal(new ResourceQuantity("8"), container.Resources.Limits["cpu"]);

            // Kubernetes waits longer than the host allows itself for a graceful stop.
            var shutdown = int.Parse(container.Env.Single(variable => variable.Name == "shutdownTimeoutSeconds").Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(deployment.Spec.Template.Spec.TerminationGracePeriodSeconds > shutdown, $"{deployment.Metadata.Name}: grace period within the host's {shutdown} s");

            var autoscaler = manifests.Single<V2HorizontalPodAutoscaler>(deployment.Metadata.Name);
            Assert.Equal(deployment.Metadata.Name, autoscaler.Spec.ScaleTargetRef.Name);
            Assert.Equal(2, autoscaler.Spec.MinReplicas);
            Assert.Equal(50, autoscaler.Spec.MaxReplicas);
            Assert.Equal(70, Assert.Single(autoscaler.Spec.Metrics).Resource.Target.AverageUtilization);
            Assert.Equal(300, autoscaler.Spec.Behavior.ScaleDown.StabilizationWindowSeconds);

            var budget = manifests.Single<V1PodDisruptionBudget>(deployment.Metadata.Name);
            Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        }

        // A silo takes 120 s to hand off its grains; one at a time may be disrupted.
        Assert.Equal(120, silo.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("1", manifests.Single<V1PodDisruptionBudget>("galaxy-silo").Spec.MaxUnavailable.Value);
        var advertised = silo.Spec.Template.Spec.Containers[0].Env.Single(variable => variable.Name == "Galaxy__Cluster__AdvertisedAddress");
        Assert.Equal("status.podIP", advertised.ValueFrom.FieldRef.FieldPath);

        var service = manifests.Single<V1Service>("galaxy-gateway");
        Assert.Equal(gateway.Spec.Selector.MatchLabels, service.Spec.Selector);
        var ingress = manifests.Single<V1Ingress>("galaxy-gateway");
        Assert.Equal("galaxy-gateway", ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);

        // Data at rest is sealed under a key-encryption key mounted from a Secret, in silos and gateways alike.
        foreach (var deployment in new[] { silo, gateway })
        {
            var pod = deployment.Spec.Template.Spec;
            var keyFile = ConfigMap(manifests).Data["Galaxy__DataProtection__KeyEncryptionKeys__0__KeyFile"];
            var mount = pod.Containers.Single().VolumeMounts.Single(volumeMount => keyFile.StartsWith(volumeMount.MountPath + "/", StringComparison.Ordinal));
            var kek = manifests.Single<V1Secret>(pod.Volumes.Single(volume => volume.Name == mount.Name).Secret.SecretName);
            Assert.Contains(keyFile[(mount.MountPath.Length + 1)..], kek.StringData.Keys);
        }

        // The connection string and the signing key come from a Secret, never the ConfigMap.
        var secret = manifests.Single<V1Secret>("galaxy-secrets");
        Assert.Contains("ConnectionStrings__Galaxy", secret.StringData.Keys);
        Assert.Contains("Galaxy__Guardian__SigningKey", secret.StringData.Keys);
        Assert.DoesNotContain(ConfigMap(manifests).Data.Keys, key => key.Contains("ConnectionStrings", StringComparison.Ordinal) || key.Contains("SigningKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_schema_is_applied_by_its_owner_in_a_job_and_silos_and_gateways_connect_as_their_own_roles()
    {
        var manifests = await RenderedManifests.RenderAsync("base");
        var secrets = manifests.Objects.OfType<V1Secret>().ToDictionary(secret => secret.Metadata.Name);

        var job = manifests.Single<V1Job>("galaxy-schema");
        var schema = job.Spec.Template.Spec.Containers.Single();
        Assert.Equal(["dotnet", "/app/cli/galaxy-cli.dll", "schema", "apply"], schema.Command);
        var owner = schema.Env.Single(variable => variable.Name == "GALAXY_CONNECTION_STRING").ValueFrom.SecretKeyRef;
        Assert.Contains("Username=galaxy_owner;", secrets[owner.Name].StringData[owner.Key], StringComparison.Ordinal);

        var silo = manifests.Single<V1Deployment>("galaxy-silo").Spec.Template.Spec.Containers.Single();
        var siloDatabase = silo.Env.Single(variable => variable.Name == "ConnectionStrings__Galaxy").ValueFrom.SecretKeyRef;
        Assert.Contains("Username=galaxy_silo;", secrets[siloDatabase.Name].StringData[siloDatabase.Key], StringComparison.Ordinal);
        var gateway = manifests.Single<V1Deployment>("galaxy-gateway").Spec.Template.Spec.Containers.Single();
        var gatewaySecret = secrets[Assert.Single(gateway.EnvFrom, source => source.SecretRef is not null).SecretRef.Name];
        Assert.Contains("Username=galaxy_gateway;", gatewaySecret.StringData["ConnectionStrings__Galaxy"], StringComparison.Ordinal);

        // Only the job can reach the owner's password.
        Assert.DoesNotContain(new[] { silo, gateway }, container =>
            (container.EnvFrom ?? []).Any(source => source.SecretRef?.Name == owner.Name)
            || (container.Env ?? []).Any(variable => variable.ValueFrom?.SecretKeyRef?.Name == owner.Name));
    }

    [Fact]
    public async Task The_reference_postgres_creates_galaxys_roles_on_a_new_volume()
    {
        var manifests = await RenderedManifests.RenderAsync("postgres");
        var pod = manifests.Single<V1StatefulSet>("galaxy-postgres").Spec.Template.Spec;
        var init = Assert.Single(pod.Containers.Single().VolumeMounts, mount => mount.MountPath == "/docker-entrypoint-initdb.d");
        var script = Assert.Single(manifests.Objects.OfType<V1ConfigMap>(),
            map => map.Metadata.Name == pod.Volumes.Single(volume => volume.Name == init.Name).ConfigMap.Name).Data.Values.Single();

        foreach (var role in new[] { "galaxy_owner", "galaxy_silo", "galaxy_gateway", "galaxy_auditor" })
        {
            Assert.Contains($"CREATE ROLE {role} LOGIN PASSWORD", script, StringComparison.Ordinal);
        }

        var variables = pod.Containers.Single().Env.Select(variable => variable.Name).ToHashSet();
        Assert.All(System.Text.RegularExpressions.Regex.Matches(script, @"\$\{(GALAXY_[A-Z_]+)\}"), match => Assert.Contains(match.Groups[1].Value, variables));
    }

    [Fact]
    public async Task The_gpu_overlay_gives_each_silo_a_gpu_and_the_cuda_backend()
    {
        var manifests = await RenderedManifests.RenderAsync("overlays/gpu");

        var container = manifests.Single<V1Deployment>("galaxy-silo").Spec.Template.Spec.Containers.Single();
        Assert.Equal(new ResourceQuantity("1"), container.Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal(new ResourceQuantity("1"), container.Resources.Requests["nvidia.com/gpu"]);
        Assert.Equal(new ResourceQuantity("8Gi"), container.Resources.Requests["memory"]);
        Assert.Equal("Cuda", container.Env.Single(variable => variable.Name == "Galaxy__Compute__Backend").Value);
        Assert.Contains(manifests.Single<V1Deployment>("galaxy-silo").Spec.Template.Spec.Tolerations, toleration => toleration.Key == "nvidia.com/gpu");
        Assert.DoesNotContain("nvidia.com/gpu", manifests.Single<V1Deployment>("galaxy-gateway").Spec.Template.Spec.Containers.Single().Resources.Limits.Keys);
    }

    [Fact]
    public async Task The_tls_overlay_puts_silos_and_gateways_on_mutual_tls_and_the_gateway_on_https_only()
    {
        var manifests = await RenderedManifests.RenderAsync("overlays/tls");

        foreach (var (name, secret) in new[] { ("galaxy-silo", "galaxy-silo-tls"), ("galaxy-gateway", "galaxy-gateway-tls") })
        {
            var pod = manifests.Single<V1Deployment>(name).Spec.Template.Spec;
            var container = pod.Containers.Single();
            var mount = container.VolumeMounts.Single(volumeMount => pod.Volumes.Single(volume => volume.Name == volumeMount.Name).Secret?.SecretName == secret);
            foreach (var (key, file) in new[] { ("Galaxy__Tls__CertificateFile", "tls.crt"), ("Galaxy__Tls__KeyFile", "tls.key"), ("Galaxy__Tls__AuthorityFile", "ca.crt") })
            {
                Assert.Equal($"{mount.MountPath}/{file}", container.Env.Single(variable => variable.Name == key).Value);
            }
        }

        var gateway = manifests.Single<V1Deployment>("galaxy-gateway").Spec.Template.Spec.Containers.Single();
        Assert.StartsWith("https://", gateway.Env.Single(variable => variable.Name == "urls").Value, StringComparison.Ordinal);
        Assert.Equal(["https"], gateway.Ports.Select(port => port.Name));
        Assert.All(new[] { gateway.LivenessProbe, gateway.ReadinessProbe }, probe => Assert.Equal("HTTPS", probe.HttpGet.Scheme));
        Assert.Equal("https", manifests.Single<V1Service>("galaxy-gateway").Spec.Ports.Single().TargetPort.Value);
        Assert.Equal("https", manifests.Single<V1Ingress>("galaxy-gateway").Spec.Rules.Single().Http.Paths.Single().Backend.Service.Port.Name);
    }

    [Fact]
    public async Task The_reference_postgres_serves_the_default_connection_strings_host()
    {
        var manifests = await RenderedManifests.RenderAsync("postgres");
        var statefulSet = manifests.Single<V1StatefulSet>("galaxy-postgres");
        Assert.Equal("galaxy-postgres", statefulSet.Spec.ServiceName);
        Assert.Single(statefulSet.Spec.VolumeClaimTemplates);

        var connectionString = (await RenderedManifests.RenderAsync("base")).Single<V1Secret>("galaxy-secrets").StringData["ConnectionStrings__Galaxy"];
        Assert.Contains($"Host={manifests.Single<V1Service>("galaxy-postgres").Metadata.Name};", connectionString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/gpu")]
    [InlineData("overlays/tls")]
    public async Task Every_configuration_key_the_manifests_set_is_one_the_silo_or_gateway_reads(string kustomization)
    {
        var manifests = await RenderedManifests.RenderAsync(kustomization);
        var configMaps = manifests.Objects.OfType<V1ConfigMap>().ToList();
        var secrets = manifests.Objects.OfType<V1Secret>().ToDictionary(secret => secret.Metadata.Name);
        var unread = new List<string>();
        foreach (var deployment in manifests.Objects.OfType<V1Deployment>())
        {
            var gateway = deployment.Metadata.Name == "galaxy-gateway";
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var variables = container.Env.Select(variable => variable.Name).ToList();
            foreach (var source in container.EnvFrom ?? [])
            {
                variables.AddRange(source.ConfigMapRef is { } map
                    ? Assert.Single(configMaps, candidate => candidate.Metadata.Name == map.Name).Data.Keys
                    : secrets[source.SecretRef.Name].StringData.Keys);
            }

            // A key a container takes from a Secret is read too.
            variables.AddRange(container.Env.Where(variable => variable.ValueFrom?.SecretKeyRef is not null).Select(variable => variable.ValueFrom.SecretKeyRef.Key));
            unread.AddRange(variables
                .Where(variable => !RuntimeVariables.Contains(variable))
                .Select(variable => variable.Replace("__", ":", StringComparison.Ordinal))
                .Where(key => !ConfigurationKeys.IsRead(key, gateway))
                .Select(key => $"{deployment.Metadata.Name}: {key}"));
        }

        Assert.Empty(unread);
    }

    [Theory]
    [InlineData("Galaxy:Cluster:SiloPort", false, true)]
    [InlineData("Galaxy:Cluster:SiloPot", false, false)]
    [InlineData("Galaxy:Membership:NumMissedProbesLimit", false, true)]
    [InlineData("Galaxy:Guardian:Accounts:0:PasswordHash", true, true)]
    [InlineData("Galaxy:Guardian:Accounts:zero:PasswordHash", true, false)]
    [InlineData("Galaxy:Guardian:SigningKey", false, false)]
    [InlineData("Galaxy:Health:Port", true, false)]
    [InlineData("urls", true, true)]
    public void The_key_catalogue_tells_read_keys_from_typos_and_the_other_process(string key, bool gateway, bool read) =>
        Assert.Equal(read, ConfigurationKeys.IsRead(key, gateway));

    private static V1ConfigMap ConfigMap(RenderedManifests manifests) =>
        Assert.Single(manifests.Objects.OfType<V1ConfigMap>(), map => map.Metadata.Name.StartsWith("galaxy-config-", StringComparison.Ordinal));
}
