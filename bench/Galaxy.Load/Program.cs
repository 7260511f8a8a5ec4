using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Galaxy.Load;

// galaxy-load: requests at a fixed rate against a running gateway, from a process of its own, each latency counted from
// when the request was due. Signs in with GALAXY_API_KEY (X-Api-Key) or GALAXY_TOKEN (a bearer token) from the
// environment, so that no secret shows in the process list.
var url = new Option<Uri>("--url")
{
    Description = "The gateway",
    DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080"),
    CustomParser = result =>
    {
        if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--url must be an absolute http or https address, not \"{result.Tokens.Single().Value}\".");
        return null;
    },
};
var rate = new Option<double>("--rate") { Description = "Requests a second", Required = true };
var seconds = new Option<double>("--seconds") { Description = "How long to measure", DefaultValueFactory = _ => 10 };
var warmUp = new Option<double>("--warm-up") { Description = "Seconds at the same rate before measuring", DefaultValueFactory = _ => 5 };
var requestsFile = new Option<FileInfo?>("--requests") { Description = "A file of requests taken in turn: PATH, or PATH<TAB>JSON for a POST" };
var path = new Option<string>("--path") { Description = "The one request, without --requests", DefaultValueFactory = _ => "/health/live" };
var body = new Option<string?>("--body") { Description = "Its JSON body: a POST" };
var maxInFlight = new Option<int>("--max-in-flight") { Description = "Requests outstanding at most; a due request waits for a slot, and the wait counts", DefaultValueFactory = _ => 1024 };
var name = new Option<string>("--name") { Description = "The prefix of the RESULT lines", DefaultValueFactory = _ => "load" };
var latencyFile = new Option<FileInfo?>("--latencies")
{
    Description = "Also write each measured request to this file, in order of when it was due: its due time (UTC and CLOCK_MONOTONIC), latency and whether it failed",
};

var root = new RootCommand("An open-loop HTTP load against a running Galaxy gateway; prints percentiles and RESULT lines.")
{
    url, rate, seconds, warmUp, requestsFile, path, body, maxInFlight, name, latencyFile,
};
rate.Validators.Add(result => Positive(result, result.GetValueOrDefault<double>()));
seconds.Validators.Add(result => Positive(result, result.GetValueOrDefault<double>()));
warmUp.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<double>() >= 0))
    {
        result.AddError("--warm-up must not be negative.");
    }
});
maxInFlight.Validators.Add(result => Positive(result, result.GetValueOrDefault<int>()));
latencyFile.Validators.Add(result =>
{
    if (result.GetValueOrDefault<FileInfo?>() is { Directory.Exists: false } file)
    {
        result.AddError($"--latencies: there is no folder {file.DirectoryName} to write {file.Name} in.");
    }
});
root.SetAction(async (result, cancellationToken) =>
{
    var requests = result.GetValue(requestsFile) is { } file
        ? LoadRequest.ParseFile(file.FullName)
        : [new LoadRequest(result.GetValue(path)!, result.GetValue(body) is { } json ? System.Text.Encoding.UTF8.GetBytes(json) : null)];
    using var client = new LoadClient(result.GetValue(url)!, requests, Environment.GetEnvironmentVariable("GALAXY_API_KEY"), Environment.GetEnvironmentVariable("GALAXY_TOKEN"));
    var (perSecond, inFlight) = (result.GetValue(rate), result.GetValue(maxInFlight));
    if (result.GetValue(warmUp) > 0)
    {
        await OpenLoop.RunAsync(perSecond, TimeSpan.FromSeconds(result.GetValue(warmUp)), inFlight, client.SendAsync, cancellationToken);
    }

    await using var timeline = result.GetValue(latencyFile) is { } timelineFile ? timelineFile.CreateText() : null;
    var figures = await OpenLoop.RunAsync(perSecond, TimeSpan.FromSeconds(result.GetValue(seconds)), inFlight, client.SendAsync, cancellationToken, timeline);
    var prefix = result.GetValue(name)!;
    var latencies = figures.Operations > 0
        ? string.Create(CultureInfo.InvariantCulture, $"p50 {figures.P50Ms:F2} ms, p95 {figures.P95Ms:F2} ms, p99 {figures.P99Ms:F2} ms")
        : "no latencies, as none was answered";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{figures.Operations:N0} answered, {figures.Failures:N0} failed in {figures.Seconds:F1} s at {perSecond:N0}/s due: {latencies}"));
    if (client.FirstFailure is { } failure)
    {
        Console.WriteLine($"first failure: {failure}");
    }

    Result($"{prefix}.answered", figures.Operations, "requests");
    Result($"{prefix}.failures", figures.Failures, "requests");
    Result($"{prefix}.seconds", figures.Seconds, "s");
    Result($"{prefix}.per_s", figures.PerSecond, "1/s");
    if (figures.Operations == 0)
    {
        // Percentiles of no latencies are not numbers, and a RESULT line's value must be one.
        return 1;
    }

    Result($"{prefix}.p50_ms", figures.P50Ms, "ms");
    Result($"{prefix}.p95_ms", figures.P95Ms, "ms");
    Result($"{prefix}.p99_ms", figures.P99Ms, "ms");
    return 0;
});
return await root.Parse(args).InvokeAsync();

static void Positive(System.CommandLine.Parsing.OptionResult result, double value)
{
    if (!(value > 0))
    {
        result.AddError($"{result.Option.Name} must be positive.");
    }
}

static void Result(string name, double value, string unit) =>
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(new { name, value = Math.Round(value, 4), unit }));
