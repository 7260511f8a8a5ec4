using System.Net;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>The SDK's deployment, approval and inference methods against the real gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DeploymentSdkTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_version_is_deployed_asked_and_taught_through_the_SDK()
    {
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));
        var ceo = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.Ceo));
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "sdk-deploy", validationAccuracy: 0.99);
        await lead.UpdateModelAsync(model, tags: new Dictionary<string, string> { ["learn-from-feedback"] = "true" });

        var started = await lead.DeployAsync(model, labscapes: [DeploymentRequests.Labscape], canary: new CanarySpec(Steps: [100]), reason: "sdk");
        var deployment = await WaitAsync(lead, started.Id);
        var inference = await lead.InferAsync(model, new float[16]);
        var feedback = await lead.SendFeedbackAsync(model, inference.RequestId, "c2");
        var listed = await lead.ListDeploymentsAsync(model: model);
        var asked = await lead.RequestApprovalAsync(model, "latest", "a second look");
        var pending = await lead.ListApprovalsAsync(status: "PENDING");
        var decided = await ceo.DecideApprovalAsync(asked.Id, approve: true, comment: "fine");
        var rolledBack = await lead.RollbackAsync(deployment.Id, "by hand");
        var again = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => lead.RollbackAsync(deployment.Id, "twice"));

        Assert.Equal(("SUCCEEDED", "guardian"), (deployment.Status, deployment.ApprovedBy));
        Assert.True(deployment.Check!.Passed);
        Assert.Equal((1, 4), (inference.Version, inference.Probabilities!.Length));
        Assert.Equal(DeploymentRequests.Labscape, inference.UnitId / 8);
        Assert.Equal((inference.Label == "c2", true), (feedback.Correct, feedback.Learned));
        Assert.Equal(started.Id, Assert.Single(listed.Items).Id);
        Assert.Contains(pending.Items, approval => approval.Id == asked.Id);
        Assert.Equal(("APPROVED", TestAccounts.Ceo), (decided.Status, decided.DecidedBy));
        Assert.Equal("ROLLED_BACK", rolledBack.Status);
        Assert.Equal((HttpStatusCode.Conflict, "not-rollbackable"), (again.Status, again.Code));
        await Assert.ThrowsAsync<GalaxyForbiddenException>(() => lead.DecideApprovalAsync(asked.Id, approve: false));
    }

    private static async Task<DeploymentResponse> WaitAsync(GalaxyClient client, Guid id)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var deployment = await client.GetDeploymentAsync(id);
            if (deployment.IsFinished)
            {
                return deployment;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"deployment {id} still {deployment.Status}");
            await Task.Delay(100);
        }
    }
}
