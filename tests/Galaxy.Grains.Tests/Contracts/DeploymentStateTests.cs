namespace Galaxy.Grains.Tests.Contracts;

/// <summary>How a deployment's status is named on the wire, and what its state says of its progress.</summary>
public sealed class DeploymentStateTests
{
    [Theory]
    [InlineData(DeploymentStatus.AwaitingApproval, "AWAITING_APPROVAL", false)]
    [InlineData(DeploymentStatus.Progressing, "PROGRESSING", false)]
    [InlineData(DeploymentStatus.Succeeded, "SUCCEEDED", true)]
    [InlineData(DeploymentStatus.RolledBack, "ROLLED_BACK", true)]
    [InlineData(DeploymentStatus.Rejected, "REJECTED", true)]
    [InlineData(DeploymentStatus.Failed, "FAILED", true)]
    public void Each_status_has_its_wire_name_and_says_whether_the_deployment_ended(DeploymentStatus status, string name, bool finished)
    {
        Assert.Equal(name, status.ToWireName());
        Assert.Equal(finished, new DeploymentState { Status = status }.IsFinished);
    }

    [Fact]
    public void The_canarys_share_is_its_current_steps_and_none_before_the_first()
    {
        var version = new ServedVersion(Guid.Empty, "digits", 4, new ModelShape(4, 3, 2), LossFunction.CrossEntropy, ["a", "b"]);
        var request = new DeploymentRequest(version, [0, 1], CanaryPlan.Default, "lead", "better digits", DateTimeOffset.UnixEpoch);

        Assert.Equal(0, new DeploymentState { Request = request }.CanaryPercent);
        Assert.Equal(25, new DeploymentState { Request = request, Step = 1 }.CanaryPercent);
        Assert.Equal(0, new DeploymentState { Step = 1 }.CanaryPercent);
    }
}
