using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Galaxy.Contracts;

namespace Galaxy.Client;

// Training jobs (/v1/training/jobs) and evaluation of versions.
public sealed partial class GalaxyClient
{
    /// <summary>Queues a training job; it trains in the cluster while this returns (<c>QUEUED</c>).</summary>
    public Task<TrainingJobResponse> StartTrainingAsync(TrainingJobSpec job, CancellationToken cancellationToken = default) =>
        SendAsync<TrainingJobResponse>(HttpMethod.Post, "/v1/training/jobs", job, cancellationToken, safeToRepeat: false);

    public Task<TrainingJobResponse> GetTrainingJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        SendAsync<TrainingJobResponse>(HttpMethod.Get, $"/v1/training/jobs/{jobId}", null, cancellationToken);

    /// <summary>Jobs newest first; <paramref name="status"/> is QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.</summary>
    public Task<PageResponse<TrainingJobSummary>> ListTrainingJobsAsync(
        string? status = null, string? model = null, int offset = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<PageResponse<TrainingJobSummary>>(HttpMethod.Get, "/v1/training/jobs" + Query(
        [
            ("status", status), ("model", model), ("offset", offset.ToString(CultureInfo.InvariantCulture)),
            ("limit", limit.ToString(CultureInfo.InvariantCulture)),
        ]), null, cancellationToken);

    public Task<TrainingJobResponse> CancelTrainingJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        SendAsync<TrainingJobResponse>(HttpMethod.Post, $"/v1/training/jobs/{jobId}/cancel", null, cancellationToken);

    /// <summary>
    /// The job's progress as it trains (the gateway's Server-Sent Events), ending with its final state once it has
    /// finished. The stream is read as it arrives; cancel to stop following.
    /// </summary>
    public async IAsyncEnumerable<TrainingProgress> FollowTrainingJobAsync(
        Guid jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await RefreshIfDueAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/training/jobs/{jobId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Sign(request);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await Problem.ReadAsync(response, cancellationToken);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        var (name, data) = ("", "");
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && data.Length > 0)
            {
                if (name == "end")
                {
                    yield return TrainingProgress.Of(JsonSerializer.Deserialize<TrainingJobResponse>(data, Json)!);
                    yield break;
                }

                yield return JsonSerializer.Deserialize<TrainingProgress>(data, Json)!;
                (name, data) = ("", "");
            }
        }
    }

    /// <summary>Scores a version on a registered dataset; the result is also recorded on the version.</summary>
    public Task<VersionEvaluationResponse> EvaluateAsync(string model, string version, string dataset, CancellationToken cancellationToken = default) =>
        SendAsync<VersionEvaluationResponse>(HttpMethod.Post, VersionPath(model, version) + "/evaluate", new EvaluateRequest(dataset), cancellationToken, safeToRepeat: false);
}
