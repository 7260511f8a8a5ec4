using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Telemetry;
using Microsoft.AspNetCore.Hosting;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The log file that <c>./galaxy up</c> gives each process (<c>Galaxy:Logging:File</c>) keeps appsettings.json's levels:
/// a request writes no line unless something goes wrong.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class LogFileTests(GatewayFixture fixture)
{
    private static readonly string[] WarningOrWorse = ["Warning", "Error", "Fatal"];

    [Fact]
    public async Task The_log_file_keeps_the_configured_levels_so_requests_write_no_line_and_a_refused_sign_in_writes_one()
    {
        using var logFile = new TemporaryLogFile();
        List<JsonElement> lines;
        await using (var gateway = fixture.Gateway.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddGalaxyLogFile(logFile.Configuration))))
        {
            using var client = gateway.CreateClient();
            client.DefaultRequestHeaders.Authorization = fixture.Http.DefaultRequestHeaders.Authorization;
            for (var i = 0; i < 20; i++)
            {
                (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
                (await client.PostAsJsonAsync("/v1/units/15/predict", new { input = new float[16] })).EnsureSuccessStatusCode();
            }

            var signIn = await client.PostAsJsonAsync("/v1/auth/token", new { username = "nobody-of-this-name", password = "not a password" });
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

            // Written after every request's lines, so once it is there they are all there.
            lines = await logFile.LinesOnceWrittenAsync(line => line.GetProperty("@mt").GetString()!.StartsWith("Sign-in refused", StringComparison.Ordinal));
        }

        // Compact JSON omits "@l" at Information.
        Assert.DoesNotContain(lines, line => Level(line) is "Debug" or "Verbose");
        Assert.DoesNotContain(lines, line => Category(line).StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && !WarningOrWorse.Contains(Level(line)));
    }

    private static string Level(JsonElement line) => line.TryGetProperty("@l", out var level) ? level.GetString()! : "Information";

    private static string Category(JsonElement line) => line.TryGetProperty("SourceContext", out var category) ? category.GetString()! : "";
}
