// A first app on the Galaxy SDK. Against `./galaxy up`:
//   GALAXY_USER=lead GALAXY_PASSWORD=... dotnet run --project Client/Sample          (passwords: .galaxy/bootstrap-credentials.txt)
//   GALAXY_API_KEY=gxk_... dotnet run --project Client/Sample                        (predict only)
using Galaxy.Client;
using Galaxy.Contracts;

var gateway = new Uri(Environment.GetEnvironmentVariable("GALAXY_URL") ?? "http://127.0.0.1:5080");
using var http = new HttpClient { BaseAddress = gateway };
var apiKey = Environment.GetEnvironmentVariable("GALAXY_API_KEY");
var galaxy = new GalaxyClient(http, new GalaxyClientOptions { ApiKey = apiKey });
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

try
{
    var unitId = 42L;
    var input = Enumerable.Range(0, 16).Select(i => MathF.Sin(i)).ToArray();
    if (apiKey is null)
    {
        var tokens = await galaxy.SignInAsync(
            Environment.GetEnvironmentVariable("GALAXY_USER") ?? "lead",
            Environment.GetEnvironmentVariable("GALAXY_PASSWORD") ?? throw new InvalidOperationException("Set GALAXY_PASSWORD or GALAXY_API_KEY."),
            Environment.GetEnvironmentVariable("GALAXY_TOTP"),
            stop.Token);
        Console.WriteLine($"Signed in as {tokens.Role}; the token lasts {tokens.ExpiresIn} s.");

        var labscapes = await galaxy.ListLabscapesAsync(stop.Token);
        Console.WriteLine($"{labscapes.Topology.Labscapes} labscapes × {labscapes.Topology.UnitsPerLabscape} units.");
    }

    var output = await galaxy.PredictAsync(unitId, input, TimeSpan.FromSeconds(5), stop.Token);
    Console.WriteLine($"unit {unitId} predicts [{string.Join(", ", output.Select(v => v.ToString("F3")))}]");

    if (apiKey is null)
    {
        // A learn from the revision we just read: if its answer is lost, repeating it cannot apply the step twice.
        var unit = await galaxy.GetUnitAsync(unitId, stop.Token);
        try
        {
            var receipt = await galaxy.LearnAsync(unitId, input, [1, 0, 0, 0], expectedRevision: unit.Revision, cancellationToken: stop.Token);
            Console.WriteLine($"one learn step: loss {receipt.Loss:F4}, revision {receipt.Revision}");
        }
        catch (GalaxyRevisionMismatchException moved)
        {
            Console.WriteLine($"unit {unitId} moved on to revision {moved.CurrentRevision} meanwhile; nothing was changed");
        }
    }
}
catch (GalaxyApiException problem)
{
    Console.Error.WriteLine($"The gateway said {(int)problem.Status} {problem.Code}: {problem.Detail ?? problem.Title}");
    return 1;
}

return 0;
