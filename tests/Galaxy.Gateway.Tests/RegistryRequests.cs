using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// What the registry's gateway tests create through the API: models, small versions and datasets, each under a name
/// (and, for datasets, with content) no other test uses, since they all share one gateway and database.
/// </summary>
internal static class RegistryRequests
{
    /// <summary>A 2-3-2 classifier's 17 weights.</summary>
    public static readonly float[] Weights = Enumerable.Range(0, 17).Select(i => i / 16f - 0.5f).ToArray();

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static object TinyVersion(string? dataset = null) => new
    {
        inputs = 2, hidden = 3, outputs = 2, loss = "CrossEntropy", weights = Weights,
        preprocessing = new { offsets = new[] { 1f, 2f }, scales = new[] { 0.5f, 0.25f } },
        classes = new[] { "no", "yes" }, featureNames = new[] { "a", "b" }, metrics = new { accuracy = 0.75 }, dataset,
    };

    /// <summary>A model with one PENDING version, made by <paramref name="client"/>; returns its name.</summary>
    public static async Task<string> ModelWithVersionAsync(HttpClient client, string prefix)
    {
        var name = UniqueName(prefix);
        (await client.PostAsJsonAsync("/v1/models", new { name })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/v1/models/{name}/versions", TinyVersion())).EnsureSuccessStatusCode();
        return name;
    }

    /// <summary>A small CSV (features a, b; label) whose content only this call has.</summary>
    public static string UniqueCsv() => $"a,b,label\n1,2,yes\n3,4,no\n5,6,{Guid.NewGuid():N}\n";

    public static StringContent Csv(string csv) => new(csv, Encoding.UTF8, "text/csv");

    /// <summary>Uploads a fresh small dataset through <paramref name="client"/>; returns its name.</summary>
    public static async Task<string> DatasetAsync(HttpClient client, string prefix)
    {
        var name = UniqueName(prefix);
        (await client.PostAsync($"/v1/datasets?name={name}&label=label", Csv(UniqueCsv()))).EnsureSuccessStatusCode();
        return name;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
