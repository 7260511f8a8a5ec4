using PuppeteerSharp;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Debian's Chromium, driven over the DevTools protocol by PuppeteerSharp (which downloads no browser of its own).
/// <c>./galaxy test</c> installs it as it installs PostgreSQL; each browser starts with a fresh profile.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly string? Executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Under CI a browser test that cannot start its browser fails: it never skips quietly there.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => Executable is null
        ? "Chromium is not installed: `./galaxy test` installs Debian's chromium package (apt-get), and under CI=true this test fails instead."
        : null;

    public static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = Executable ?? throw new InvalidOperationException(Unavailable),
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
        DefaultViewport = new ViewPortOptions { Width = 1400, Height = 1000 },
        Timeout = 60_000,
    });
}

/// <summary>A fact that needs Chromium: it skips, saying why, where the browser is missing, except under CI, where it runs and fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute() => Skip = SkipReason(HeadlessChromium.UnderCi, HeadlessChromium.Unavailable);

    /// <summary>Why to skip: only outside CI, and only when the browser is missing.</summary>
    public static string? SkipReason(bool underCi, string? unavailable) => underCi ? null : unavailable;
}
