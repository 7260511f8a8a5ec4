using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// What the deployment and inference tests make through the API. They deploy only to labscape 3 (units 24…31), which no
/// other test of the shared gateway computes with, and with 16-input versions, so the galaxy tick still computes every unit.
/// </summary>
internal static class DeploymentRequests
{
    public const int Labscape = 3;
    public const string ServedModel = "served-everywhere-in-3";

    /// <summary>A 16-8-4 classifier (classes c0…c3) with <paramref name="weights"/> or Xavier weights, and a validation accuracy.</summary>
    public static object Version(double validationAccuracy, float[]? weights = null, int seed = 1)
    {
        var architecture = new Kernels.MlpArchitecture(16, 8, 4);
        if (weights is null)
        {
            weights = new float[architecture.ParameterCount];
            architecture.InitializeParameters(seed, weights);
        }

        return new
        {
            inputs = 16, hidden = 8, outputs = 4, loss = "CrossEntropy", weights,
            classes = new[] { "c0", "c1", "c2", "c3" }, metrics = new { validation_accuracy = validationAccuracy },
        };
    }

    /// <summary>A fresh model with one version; returns its name.</summary>
    public static async Task<string> ModelAsync(HttpClient client, string prefix, double validationAccuracy)
    {
        var name = RegistryRequests.UniqueName(prefix);
        (await client.PostAsJsonAsync("/v1/models", new { name })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/v1/models/{name}/versions", Version(validationAccuracy))).EnsureSuccessStatusCode();
        return name;
    }

    /// <summary>Deploys a model's latest version to labscape 3 under <paramref name="canary"/> (at once by default); returns the deployment.</summary>
    public static async Task<JsonElement> DeployAsync(HttpClient client, string model, object? canary = null)
    {
        var response = await client.PostAsJsonAsync(
            $"/v1/models/{model}/deployments", new { labscapes = new[] { Labscape }, canary = canary ?? new { steps = new[] { 100 } }, reason = "tests" });
        response.EnsureSuccessStatusCode();
        return await response.JsonAsync();
    }

    /// <summary>The deployment once its status satisfies <paramref name="done"/>, polled.</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient client, string deploymentId, Func<string, bool> done, TimeSpan? bound = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var deployment = await (await client.GetAsync($"/v1/deployments/{deploymentId}")).JsonAsync();
            if (done(deployment.GetProperty("status").GetString()!))
            {
                return deployment;
            }

            Assert.True(waited.Elapsed < (bound ?? TimeSpan.FromSeconds(60)), $"deployment {deploymentId} still {deployment.GetProperty("status")}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A model whose version serves every unit of labscape 3 (deployed on first use, and again when a later test's
    /// deployment to labscape 3 replaced it); returns its name.
    /// </summary>
    public static async Task<string> ServedModelAsync(HttpClient client)
    {
        if (!(await client.GetAsync($"/v1/models/{ServedModel}")).IsSuccessStatusCode)
        {
            (await client.PostAsJsonAsync("/v1/models", new { name = ServedModel })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync($"/v1/models/{ServedModel}/versions", Version(0.99))).EnsureSuccessStatusCode();
        }
        else if ((await client.PostAsJsonAsync($"/v1/models/{ServedModel}/inference", new { features = new float[16] })).IsSuccessStatusCode)
        {
            return ServedModel;
        }

        var deployment = await DeployAsync(client, ServedModel);
        await WaitAsync(client, deployment.GetProperty("id").GetString()!, status => status == "SUCCEEDED");

        // A gateway reads which units serve a model at most every 2 s (ModelRoutes.Freshness).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(await client.PostAsJsonAsync($"/v1/models/{ServedModel}/inference", new { features = new float[16] })).IsSuccessStatusCode)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{ServedModel} is deployed but not yet served");
            await Task.Delay(100);
        }

        return ServedModel;
    }

    /// <summary>Inference by <paramref name="model"/> until cancelled: a bounded, loopback-only load.</summary>
    public static async Task LoadAsync(HttpClient client, string model, CancellationToken cancellationToken)
    {
        var features = new { features = new float[16] };
        for (var i = 0; i < 20_000 && !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                using var _ = await client.PostAsJsonAsync($"/v1/models/{model}/inference", features, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
