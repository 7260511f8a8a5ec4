using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Testing.Processes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>The real gateway on a loopback port, for programs of their own such as the operator's CLI.</summary>
public sealed class ListeningGatewayFixture : GatewayFixture
{
    /// <summary>Where the gateway listens (http://127.0.0.1:port).</summary>
    public string Address => Addresses(Gateway);

    protected override WebApplicationFactory<Program> Prepare(WebApplicationFactory<Program> gateway)
    {
        // The programs here train on the cluster's two cores beside the other suites: a CI run saw a grain call wait over
        // the gateway's 5 s while a training job computed, and the sample, rightly, does not repeat a training submit.
        var listening = gateway.WithWebHostBuilder(web => web
            .UseSetting("Galaxy:Cluster:ResponseTimeoutSeconds", "30")
            .ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0)));
        listening.UseKestrel();
        listening.StartServer();
        listening.ClientOptions.BaseAddress = new Uri(Addresses(listening));
        return listening;
    }

    private static string Addresses(WebApplicationFactory<Program> gateway) =>
        gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}

[CollectionDefinition(Name)]
public sealed class ListeningGatewayCollection : ICollectionFixture<ListeningGatewayFixture>
{
    public const string Name = "listening gateway";
}

/// <summary>
/// The operator's CLI end to end: <c>galaxy-cli</c> (the program <c>./galaxy</c> runs) in a process of its own against the
/// real gateway, signed in as the test accounts; what it did is read back through the SDK.
/// </summary>
[Collection(ListeningGatewayCollection.Name)]
public sealed class CliTests(ListeningGatewayFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly string Labscape = DeploymentRequests.Labscape.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Models_lists_the_registry_and_one_models_versions()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "cli-models");
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", RegistryRequests.TinyVersion())).EnsureSuccessStatusCode();
        await new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi)).SetAliasAsync(model, "champion", 1);

        var models = await RunAsync("models", "--search", model);
        var versions = await RunAsync("models", model);
        var missing = await RunAsync("models", "no-such-model-cli");

        Assert.Equal(0, models.ExitCode);
        Assert.Contains(models.Lines, line => line.Contains(model, StringComparison.Ordinal) && line.Contains("PENDING", StringComparison.Ordinal) && line.Contains("champion→1", StringComparison.Ordinal));
        Assert.Equal(0, versions.ExitCode);
        Assert.Equal(2, versions.Lines.Count(line => line.Contains("2-3-2", StringComparison.Ordinal) && line.Contains("PENDING", StringComparison.Ordinal)));
        Assert.Single(versions.Lines, line => line.Contains("2-3-2", StringComparison.Ordinal) && line.Contains("champion", StringComparison.Ordinal));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("model-not-found", missing.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_follows_a_canary_to_its_promotion_and_exits_0()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "cli-deploy", validationAccuracy: 0.99);
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));

        var run = await RunAsync("deploy", "--model", model, "--labscapes", Labscape, "--steps", "100", "--reason", "cli test");

        Assert.True(run.ExitCode == 0, run.Output);
        var deployment = Assert.Single((await lead.ListDeploymentsAsync(model: model)).Items);
        Assert.Equal(("SUCCEEDED", 100), (deployment.Status, deployment.CanaryPercent));
        Assert.Contains($"deployment {deployment.Id}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{model}:1 SUCCEEDED", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_below_the_bar_exits_2_and_the_CEO_approves_it_with_the_second_factor()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "cli-approve", validationAccuracy: 0.9);
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));

        var waiting = await RunAsync("deploy", "--model", model, "--labscapes", Labscape, "--steps", "100");
        var deployment = Assert.Single((await lead.ListDeploymentsAsync(model: model)).Items);
        var approvalId = (await lead.GetDeploymentAsync(deployment.Id)).ApprovalId!.Value;
        var listed = await RunAsync("approve");
        var byLead = await RunAsync("approve", approvalId.ToString(), "--comment", "not mine to decide");
        // The decision signs in as ceo unless told otherwise.
        var byCeo = await RunAsAsync(
            TestAccounts.Ceo, named: false, "approve", approvalId.ToString(), "--totp", TestAccounts.CurrentTotp(TestAccounts.Ceo)!, "--comment", "reviewed the figures");
        var done = await WaitAsync(lead, deployment.Id);

        Assert.True(waiting.ExitCode == 2, waiting.Output);
        Assert.Contains("AWAITING_APPROVAL", waiting.Output, StringComparison.Ordinal);
        Assert.Contains($"./galaxy approve {approvalId}", waiting.Output, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(listed.Lines, line => line.Contains(approvalId.ToString(), StringComparison.Ordinal) && line.Contains($"{model}:1", StringComparison.Ordinal));
        Assert.Equal(1, byLead.ExitCode);
        Assert.Contains("403 forbidden", byLead.Output, StringComparison.Ordinal);
        Assert.True(byCeo.ExitCode == 0, byCeo.Output);
        Assert.Contains($"APPROVED {model}:1 by {TestAccounts.Ceo}; deployment {deployment.Id} goes on", byCeo.Output, StringComparison.Ordinal);
        Assert.Equal(("SUCCEEDED", TestAccounts.Ceo), (done.Status, done.ApprovedBy));
        var approval = (await lead.ListApprovalsAsync(status: "APPROVED", limit: 1000)).Items.Single(item => item.Id == approvalId);
        Assert.Equal("reviewed the figures", approval.Comment);
    }

    [Fact]
    public async Task Deploy_exits_1_when_the_canary_it_follows_is_rolled_back()
    {
        var model = await DeploymentRequests.ModelAsync(fixture.Http, "cli-rollback", validationAccuracy: 0.99);
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));
        var first = await lead.DeployAsync(model, labscapes: [DeploymentRequests.Labscape], canary: new CanarySpec(Steps: [100]), reason: "stable");
        await WaitAsync(lead, first.Id);
        (await fixture.Http.PostAsJsonAsync($"/v1/models/{model}/versions", DeploymentRequests.Version(0.99, seed: 2))).EnsureSuccessStatusCode();

        var following = RunAsync("deploy", "--model", model, "--labscapes", Labscape, "--steps", "50", "100", "--interval", "600");
        var canary = await UntilAsync(async () => (await lead.ListDeploymentsAsync(model: model, status: "PROGRESSING")).Items.SingleOrDefault());
        await lead.RollbackAsync(canary.Id, "cli test: by hand");
        var run = await following;

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains($"{model}:2 ROLLED_BACK", run.Output, StringComparison.Ordinal);
        Assert.Equal("ROLLED_BACK", (await lead.GetDeploymentAsync(canary.Id)).Status);
    }

    [Fact]
    public async Task Alerts_lists_the_alerts_and_acknowledges_one()
    {
        var alertId = await MonitoringRequests.AlertAsync(fixture.Galaxy);
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));

        var listed = await RunAsAsync(TestAccounts.Operator, named: true, "alerts", "--all");
        var acknowledged = await RunAsAsync(TestAccounts.Operator, named: true, "alerts", "acknowledge", alertId.ToString(), "--comment", "on it");
        var again = await RunAsAsync(TestAccounts.Operator, named: true, "alerts", "acknowledge", alertId.ToString());
        var notAnId = await RunAsync("alerts", "acknowledge", "the-red-one");

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(listed.Lines, line => line.Contains(alertId.ToString(), StringComparison.Ordinal) && line.Contains("cpu", StringComparison.Ordinal));
        Assert.True(acknowledged.ExitCode == 0, acknowledged.Output);
        var alert = await lead.GetAlertAsync(alertId);
        Assert.Equal((TestAccounts.Operator, "on it"), (alert.AcknowledgedBy, alert.AcknowledgeComment));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("alert-already-acknowledged", again.Output, StringComparison.Ordinal);
        Assert.Equal(1, notAnId.ExitCode);
    }

    private sealed record CliRun(int ExitCode, string Output)
    {
        public string[] Lines => Output.Split('\n');
    }

    /// <summary>Runs <c>galaxy-cli</c> against the gateway signed in as <c>lead_ai</c> and waits for it, within <see cref="Bound"/>.</summary>
    private Task<CliRun> RunAsync(params string[] arguments) => RunAsAsync(TestAccounts.LeadAi, named: true, arguments);

    /// <summary>
    /// Runs <c>galaxy-cli</c> with <paramref name="account"/>'s password, naming the account with <c>--user</c> when
    /// <paramref name="named"/> (else the command signs in as the account it takes by default), and waits for it.
    /// </summary>
    private async Task<CliRun> RunAsAsync(string account, bool named, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(RepositoryBuild.AssemblyOf("Client/Cli/galaxy-cli"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (named)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(account);
        }

        start.ArgumentList.Add("--password");
        start.ArgumentList.Add(TestAccounts.PasswordOf(account));
        start.ArgumentList.Add("--gateway");
        start.ArgumentList.Add(fixture.Address);
        var run = await BoundedRun.RunAsync(start, Bound);
        return new CliRun(run.ExitCode, run.Output);
    }

    private static async Task<DeploymentResponse> WaitAsync(GalaxyClient client, Guid id) =>
        await UntilAsync(async () => await client.GetDeploymentAsync(id) is { IsFinished: true } finished ? finished : null);

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < Bound, "waited too long");
            await Task.Delay(100);
        }
    }
}
