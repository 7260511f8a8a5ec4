using System.Diagnostics;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Debian's headless Chromium, installed with apt-get when missing and possible. Each browser gets a fresh profile
/// (which keeps the dashboard's session cookie between its runs).
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private static readonly Lazy<string?> Executable = new(FindOrInstall);

    private readonly string _profile = Directory.CreateTempSubdirectory("galaxy-chromium-").FullName;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => Executable.Value is null ? "Chromium is not installed and `apt-get install -y chromium` failed." : null;

    public Task<string> DumpDomAsync(string url) => RunAsync("--dump-dom", url);

    public Task ScreenshotAsync(string url, string path) => RunAsync($"--screenshot={path}", url);

    public void Dispose() => Directory.Delete(_profile, recursive: true);

    private async Task<string> RunAsync(string action, string url)
    {
        var start = new ProcessStartInfo(Executable.Value!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}", "--window-size=1280,900",
                // Lets the page's scripts (sign-in, fetches, redirect) finish before the dump or the screenshot.
                "--virtual-time-budget=15000", action, url,
            },
        };
        using var browser = Process.Start(start)!;
        var output = browser.StandardOutput.ReadToEndAsync();
        var errors = browser.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await browser.WaitForExitAsync(deadline.Token);
        return browser.ExitCode == 0 ? await output : throw new InvalidOperationException($"chromium exited {browser.ExitCode}: {await errors}");
    }

    private static string? FindOrInstall()
    {
        if (Find() is { } found)
        {
            return found;
        }

        try
        {
            using var install = Process.Start(new ProcessStartInfo("apt-get", "install -y -q chromium")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
            })!;
            install.StandardOutput.ReadToEnd();
            install.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        return Find();
    }

    private static string? Find() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
}

/// <summary>A fact that skips, saying why, where Chromium cannot be had.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = HeadlessChromium.Unavailable;
}
