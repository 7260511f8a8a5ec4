using System.Diagnostics;
using System.Net;
using System.Text;
using Galaxy.Testing.Processes;
using Xunit.Abstractions;

namespace Galaxy.Operations.Tests;

/// <summary>
/// The dependency scan of Directory.Build.props, which every build and so CI's runs at restore: a throwaway project
/// under the repository's own build settings fails to restore when a package it only reaches transitively has a high
/// advisory, and the error names the package and the advisory; the same project with the patched version restores.
/// </summary>
/// <remarks>
/// The advisories come from an audit source on loopback that publishes the one real advisory below in NuGet's
/// VulnerabilityInfo format, as nuget.org publishes all of them: the registry mirror this project's machines reach
/// publishes none (its service index has no VulnerabilityInfo resource), and a test must not depend on the network.
/// </remarks>
public sealed class DependencyScanTests(ITestOutputHelper output)
{
    // Newtonsoft.Json.Bson 1.0.2 depends on Newtonsoft.Json >= 12.0.1, which restore resolves to 12.0.1: below 13.0.1,
    // the fix for GHSA-5crp-9r3c-p9vr (high, improper handling of exceptional conditions).
    private const string VulnerableTransitive = """<PackageReference Include="Newtonsoft.Json.Bson" Version="1.0.2" />""";
    private const string Advisory = "GHSA-5crp-9r3c-p9vr";

    [Fact]
    public async Task A_transitive_package_with_a_high_advisory_fails_the_restore_naming_package_and_advisory()
    {
        var (exitCode, log) = await RestoreAsync(VulnerableTransitive);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error NU1903", log, StringComparison.Ordinal);
        Assert.Contains("Newtonsoft.Json", log, StringComparison.Ordinal);
        Assert.Contains(Advisory, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_project_with_the_patched_version_restores()
    {
        var (exitCode, log) = await RestoreAsync(VulnerableTransitive + """<PackageReference Include="Newtonsoft.Json" Version="13.0.1" />""");

        Assert.True(exitCode == 0, log);
        Assert.DoesNotContain(Advisory, log, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Log)> RestoreAsync(string packageReferences)
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-scan-").FullName;
        using var advisories = AdvisorySource.Start();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
                <configuration>
                  <auditSources>
                    <clear />
                    <add key="advisories" value="{advisories.Index}" allowInsecureConnections="true" />
                  </auditSources>
                </configuration>
                """);
            // The repository's settings, imported as its own projects get them; central versions off, as a throwaway
            // project has no entry in Directory.Packages.props.
            var settings = Path.Combine(RepositoryBuild.Root, "Directory.Build.props");
            await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.props"), $"""
                <Project>
                  <Import Project="{settings}" />
                  <PropertyGroup>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "Scanned.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    {packageReferences}
                  </ItemGroup>
                </Project>
                """);

            var start = new ProcessStartInfo("dotnet", ["restore", "--nologo", Path.Combine(folder, "Scanned.csproj")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(bound.Token);
            var log = await standardOutput + await standardError;
            output.WriteLine(log);
            return (process.ExitCode, log);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A NuGet audit source on loopback: a service index, a VulnerabilityInfo index, its two pages.</summary>
    private sealed class AdvisorySource : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, string> _documents;

        private AdvisorySource(string address)
        {
            Index = address + "index.json";
            _documents = new Dictionary<string, string>
            {
                ["/index.json"] = $$"""{"version":"3.0.0","resources":[{"@id":"{{address}}vulnerabilities/index.json","@type":"VulnerabilityInfo/6.7.0"}]}""",
                ["/vulnerabilities/index.json"] = $$"""
                    [{"@name":"base","@id":"{{address}}vulnerabilities/base.json","@updated":"2024-01-01T00:00:00Z"},
                     {"@name":"update","@id":"{{address}}vulnerabilities/update.json","@updated":"2024-01-01T00:00:00Z"}]
                    """,
                // Severity 2 is high; the range is the versions affected.
                ["/vulnerabilities/base.json"] = $$"""
                    {"newtonsoft.json":[{"severity":2,"url":"https://github.com/advisories/{{Advisory}}","versions":"(, 13.0.1)"}]}
                    """,
                ["/vulnerabilities/update.json"] = "{}",
            };
            _listener.Prefixes.Add(address);
            _listener.Start();
            _ = ServeAsync();
        }

        public string Index { get; }

        public static AdvisorySource Start() => new($"http://127.0.0.1:{LoopbackPort.Free()}/");

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }

                var found = _documents.TryGetValue(context.Request.Url!.AbsolutePath, out var document);
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = "application/json";
                var body = Encoding.UTF8.GetBytes(document ?? "");
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
