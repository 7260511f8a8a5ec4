using System.Net.Http.Json;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A real browser signs in to the dashboard as an operator, opens the Galaxy page's unit inspector and the Orleans
/// dashboard, and leaves screenshots in <c>.galaxy/screenshots</c>.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DashboardBrowserTests(GatewayFixture fixture) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(Repository.Root, ".galaxy", "screenshots");

    private WebApplicationFactory<Program> _served = null!;
    private string _address = null!;

    public Task InitializeAsync()
    {
        if (HeadlessChromium.Unavailable is null)
        {
            _served = fixture.Gateway.WithWebHostBuilder(_ => { });
            _served.UseKestrel(0);
            _served.StartServer();
            _address = _served.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_served is not null)
        {
            await _served.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task An_operator_signs_in_and_inspects_a_unit()
    {
        Directory.CreateDirectory(Screenshots);
        var token = await OperatorTokenAsync();
        using var chromium = new HeadlessChromium();

        var page = await chromium.DumpDomAsync($"{_address}/signin?returnUrl=%2Fdashboard%2Fgalaxy%3Funit%3D5#token={token}");
        await chromium.ScreenshotAsync($"{_address}/dashboard/galaxy?unit=5", Path.Combine(Screenshots, "galaxy-unit-inspector.png"));
        await chromium.ScreenshotAsync($"{_address}/dashboard/", Path.Combine(Screenshots, "orleans-dashboard.png"));

        Assert.Contains("340 parameters", page, StringComparison.Ordinal);
        Assert.Contains($"{GalaxyTestCluster.Labscapes} labscapes", page, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(Screenshots, "galaxy-unit-inspector.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(Screenshots, "orleans-dashboard.png")).Length > 10_000);
    }

    [ChromiumFact]
    public async Task A_browser_without_a_session_is_sent_to_sign_in()
    {
        using var chromium = new HeadlessChromium();

        var page = await chromium.DumpDomAsync($"{_address}/dashboard/galaxy");

        Assert.Contains("Galaxy dashboard", page, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", page, StringComparison.Ordinal);
    }

    private async Task<string> OperatorTokenAsync()
    {
        var response = await fixture.SignInAsync(TestAccounts.Operator);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }
}
