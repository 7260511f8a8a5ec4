using System.Diagnostics;
using Galaxy.Testing.Processes;
using k8s;

namespace Galaxy.Operations.Tests.Kubernetes;

/// <summary>
/// A kustomization under <c>deploy/kubernetes</c> rendered by <c>kubectl kustomize</c> (installed by <c>./galaxy
/// test</c> when missing: Debian's kubernetes-client) and every object loaded with the Kubernetes client's typed YAML
/// loader, which refuses a kind or a field it does not know.
/// </summary>
public sealed class RenderedManifests
{
    private RenderedManifests(string yaml, IReadOnlyList<object> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public static async Task<RenderedManifests> RenderAsync(string kustomization)
    {
        var folder = Path.Combine(RepositoryBuild.Root, "deploy", "kubernetes", kustomization);
        var start = new ProcessStartInfo("kubectl", ["kustomize", folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("kubectl is not installed: ./galaxy test installs Debian's kubernetes-client (apt-get install kubernetes-client).");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {kustomization} failed: {await errors}");
            var yaml = await output;
            return new RenderedManifests(yaml, KubernetesYaml.LoadAllFromString(yaml, strict: true));
        }
    }

    public T Single<T>(string name) where T : IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        Assert.Single(Objects.OfType<T>(), item => item.Metadata.Name == name);

    /// <summary>The values a deployment's container is given: its config maps', then its own variables over them.</summary>
    public Dictionary<string, string> EnvironmentOf(string deployment)
    {
        var container = Assert.Single(Single<k8s.Models.V1Deployment>(deployment).Spec.Template.Spec.Containers);
        var environment = new Dictionary<string, string>();
        foreach (var source in container.EnvFrom.Where(source => source.ConfigMapRef is not null))
        {
            foreach (var (name, value) in Single<k8s.Models.V1ConfigMap>(source.ConfigMapRef.Name).Data)
            {
                environment[name] = value;
            }
        }

        foreach (var variable in container.Env.Where(variable => variable.Value is not null))
        {
            environment[variable.Name] = variable.Value;
        }

        return environment;
    }
}
