using System.Net;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>The SDK's monitoring, alert and optimization methods against the real gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class MonitoringSdkTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Thresholds_are_read_and_set_and_a_report_is_read_through_the_SDK()
    {
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));
        var engineer = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.AiEngineer));
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "sdk-thresholds");

        var seed = await lead.GetThresholdsAsync(model);
        var set = await lead.SetThresholdsAsync(model, new ThresholdsBody(40, 60, null, null, null, null, null));
        var read = await engineer.GetThresholdsAsync(model);
        var report = await lead.GetPerformanceReportAsync(DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow, model);
        var badRange = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(
            () => lead.GetPerformanceReportAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(-1)));
        var refused = await Assert.ThrowsAsync<GalaxyForbiddenException>(
            () => engineer.SetThresholdsAsync(model, new ThresholdsBody(1, 2, null, null, null, null, null)));
        var unknown = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => lead.GetThresholdsAsync("no-such-model-sdk"));

        Assert.True(seed.IsDefault);
        Assert.Equal((40.0, 60.0, false, TestAccounts.LeadAi), (set.LatencyP95WarningMs, set.LatencyP95CriticalMs, set.IsDefault, set.UpdatedBy));
        Assert.Equal((40.0, 60.0, seed.AccuracyWarning), (read.LatencyP95WarningMs, read.LatencyP95CriticalMs, read.AccuracyWarning));
        Assert.True(report.To > report.From);
        Assert.True(report.StepSeconds >= report.IntervalSeconds);
        Assert.Equal("invalid-input", badRange.Code);
        Assert.Equal("forbidden", refused.Code);
        Assert.Equal("model-not-found", unknown.Code);
    }

    [Fact]
    public async Task An_alert_is_listed_read_and_acknowledged_once_through_the_SDK()
    {
        var alertId = await MonitoringRequests.AlertAsync(fixture.Galaxy);
        var operatorClient = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.Operator));

        var listed = await operatorClient.ListAlertsAsync(limit: 1000);
        var read = await operatorClient.GetAlertAsync(alertId);
        var acknowledged = await operatorClient.AcknowledgeAlertAsync(alertId, "on it");
        var again = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => operatorClient.AcknowledgeAlertAsync(alertId, "again"));
        var deliveries = await operatorClient.ListAlertDeliveriesAsync(status: "dead");
        var missing = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => operatorClient.GetAlertAsync(Guid.NewGuid()));
        var badState = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => operatorClient.ListAlertsAsync(state: "burning"));

        Assert.Contains(listed.Items, alert => alert.Id == alertId);
        Assert.Equal(("cpu", "warning"), (read.Kind, read.Severity));
        Assert.Equal((TestAccounts.Operator, "on it"), (acknowledged.AcknowledgedBy, acknowledged.AcknowledgeComment));
        Assert.Equal((HttpStatusCode.Conflict, "alert-already-acknowledged"), (again.Status, again.Code));
        Assert.All(deliveries.Items, delivery => Assert.Equal("dead", delivery.Status));
        Assert.Equal("alert-not-found", missing.Code);
        Assert.Equal("invalid-input", badState.Code);
    }

    [Fact]
    public async Task A_version_is_analysed_and_optimized_through_the_SDK()
    {
        var engineer = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.AiEngineer));
        var (model, version) = await OptimizationRequests.TrainedAsync(fixture.Http);

        var analysis = await engineer.AnalyzeOptimizationsAsync(new AnalyzeBody(model, version.ToString(System.Globalization.CultureInfo.InvariantCulture), FineTuneEpochs: 2, DistillEpochs: 2));
        var int8 = analysis.Techniques.First(technique => technique.Technique == "int8");
        var optimized = await engineer.OptimizeVersionAsync(
            model, version.ToString(System.Globalization.CultureInfo.InvariantCulture), new OptimizeBody(Int8: int8.Plan.Int8, PruneFraction: int8.Plan.PruneFraction));
        var missing = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => engineer.AnalyzeOptimizationsAsync(new AnalyzeBody("no-such-model-sdk")));

        Assert.Equal((model, version, 8), (analysis.ModelName, analysis.Version, analysis.Shape.Hidden));
        Assert.True(int8.ParameterBytes < analysis.ParameterBytes);
        Assert.Equal((VersionStatus.Pending, version, "int8"), (optimized.Version.Status, optimized.Version.Lineage.ParentVersion, optimized.Outcome.Technique));
        Assert.True(optimized.Version.Lineage.ServesInt8);
        Assert.Equal("model-not-found", missing.Code);
    }
}
