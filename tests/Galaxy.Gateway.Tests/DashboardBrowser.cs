using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A test gateway served on a loopback port for a real browser (Debian's Chromium, <see cref="HeadlessChromium"/>), which
/// signs pages in through the sign-in page as a person would. Screenshots go to <c>.galaxy/screenshots</c>.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public static readonly string Screenshots = Path.Combine(Repository.Root, ".galaxy", "screenshots");

    /// <summary>How long a page is given to show what a test waits for.</summary>
    public static readonly WaitForFunctionOptions Patience = new() { Timeout = 30_000, PollingInterval = 200 };

    // WebApplicationFactory finds the host that Program builds by listening to the process's hosting diagnostics: two
    // served copies started at once (the gateway collections run in parallel) can take each other's host, one of them
    // then without its Kestrel port. One start at a time.
    private static readonly SemaphoreSlim Starting = new(1, 1);

    private readonly WebApplicationFactory<Program> _served;

    private DashboardBrowser(WebApplicationFactory<Program> served, IBrowser browser, string address) =>
        (_served, Browser, Address) = (served, browser, address);

    public IBrowser Browser { get; }

    /// <summary>The served gateway's base address (<c>http://127.0.0.1:PORT</c>).</summary>
    public string Address { get; }

    /// <summary>Serves a copy of <paramref name="gateway"/> on Kestrel and starts Chromium.</summary>
    public static async Task<DashboardBrowser> StartAsync(WebApplicationFactory<Program> gateway)
    {
        Directory.CreateDirectory(Screenshots);
        // A port of its own, asked for in the host's settings too: the gateway collections each serve one at once.
        var served = gateway.WithWebHostBuilder(web => web.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0"));
        served.UseKestrel(0);
        await Starting.WaitAsync();
        try
        {
            served.StartServer();
        }
        finally
        {
            Starting.Release();
        }

        var address = served.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        try
        {
            return new DashboardBrowser(served, await HeadlessChromium.LaunchAsync(), address);
        }
        catch
        {
            await served.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs in through the sign-in page as <paramref name="account"/> (with its current TOTP code where it has one) and lands on <paramref name="returnUrl"/>.</summary>
    public async Task SignInAsync(IPage page, string account, string returnUrl = "/dashboard/galaxy")
    {
        await page.GoToAsync($"{Address}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.TypeAsync("input[name=username]", account);
        await page.TypeAsync("input[name=password]", TestAccounts.PasswordOf(account));
        if (TestAccounts.CurrentTotp(account) is { } code)
        {
            await page.TypeAsync("input[name=totp]", code);
        }

        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("form#signin button"));
        Assert.Equal(Address + returnUrl, page.Url);
        await page.WaitForFunctionAsync("() => document.getElementById('me').textContent.length > 0", Patience);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(Path.Combine(Screenshots, name), new ScreenshotOptions { FullPage = true });

    public static Task<string> TextAsync(IPage page, string selector) =>
        page.EvaluateExpressionAsync<string>($"document.querySelector(\"{selector}\").textContent");

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await _served.DisposeAsync();
    }
}
