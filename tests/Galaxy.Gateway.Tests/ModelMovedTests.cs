using System.Net;
using System.Net.Http.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Inference by model when the routes the gateway holds (read at most two seconds ago) are older than what a labscape
/// serves: a request that meets a unit serving another model is asked again on fresh routes, and is told the model is
/// not served, never that its input is wrong. Labscape 1 of the listening gateway's own cluster, which no other test
/// there deploys to.
/// </summary>
[Collection(ListeningGatewayCollection.Name)]
public sealed class ModelMovedTests(ListeningGatewayFixture fixture)
{
    private const int Labscape = 1;

    [Fact]
    public async Task An_inference_just_after_a_rollback_is_told_the_model_is_not_served_not_that_its_input_is_wrong()
    {
        // Two inputs, where the units' initial model (which the rollback restores) takes sixteen.
        var model = RegistryRequests.UniqueName("moved");
        (await fixture.Http.PostAsJsonAsync("/v1/models", new { name = model })).EnsureSuccessStatusCode();
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", new
        {
            inputs = 2, hidden = 3, outputs = 2, loss = "CrossEntropy", weights = RegistryRequests.Weights,
            classes = new[] { "no", "yes" }, metrics = new { validation_accuracy = 0.99 },
        })).EnsureSuccessStatusCode();
        var deployed = await (await fixture.Http.PostAsJsonAsync(
            $"/v1/models/{model}/deployments", new { labscapes = new[] { Labscape }, canary = new { steps = new[] { 100 } }, reason = "tests" })).JsonAsync();
        var deploymentId = deployed.GetProperty("id").GetString()!;
        await DeploymentRequests.WaitAsync(fixture.Http, deploymentId, status => status == "SUCCEEDED");

        var answered = await Infer(2);
        var tooWide = await ModelEndpointTests.AssertProblemAsync(await Infer(3), HttpStatusCode.BadRequest, "invalid-input");
        (await fixture.Http.PostAsJsonAsync($"/v1/deployments/{deploymentId}/rollback", new { reason = "tests" })).EnsureSuccessStatusCode();
        var afterRollback = await Infer(2);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal($"{model}:1 takes 2 features, not 3.", tooWide.GetProperty("detail").GetString());
        await ModelEndpointTests.AssertProblemAsync(afterRollback, HttpStatusCode.Conflict, "model-not-served");

        Task<HttpResponseMessage> Infer(int features) =>
            fixture.Http.PostAsJsonAsync($"/v1/models/{model}/inference", new { features = new float[features] });
    }
}
