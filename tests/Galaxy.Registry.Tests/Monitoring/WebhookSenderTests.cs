using System.Net;
using System.Security.Cryptography;
using System.Text;
using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// Alert deliveries to a real HTTP receiver on loopback: signed (checked here with HMAC-SHA256 computed from the
/// secret), retried after a doubling backoff on the clock the test moves, delivered once the receiver answers 2xx, and
/// dead-lettered after the last attempt.
/// </summary>
public sealed class WebhookSenderTests(MonitoringDatabase database) : IClassFixture<MonitoringDatabase>
{
    private const string Secret = "a-secret-of-some-length";

    private readonly HttpClient _http = new();

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_same_signed_delivery_a_third_time_after_2_and_4_seconds()
    {
        await using var receiver = new WebhookReceiver(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.NoContent);
        var clock = MonitoringDatabase.Clock();
        var (options, alert) = await FireAsync("retried", receiver.Url, clock);
        var sender = Sender(options, clock);

        var attempts = new List<int> { await sender.SendDueAsync(CancellationToken.None) };
        foreach (var seconds in new[] { 1, 1, 3, 1 })
        {
            clock.Advance(TimeSpan.FromSeconds(seconds));
            attempts.Add(await sender.SendDueAsync(CancellationToken.None));
        }

        Assert.Equal([1, 0, 1, 0, 1], attempts);
        var delivery = Assert.Single(await DeliveriesAsync(alert));
        Assert.Equal(("delivered", 3, (string?)null), (delivery.Status, delivery.Attempts, delivery.LastError));
        Assert.Equal(MonitoringDatabase.Clock().GetUtcNow().AddSeconds(6), delivery.DeliveredAt);
        var received = receiver.Requests.ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, request =>
        {
            Assert.Equal(delivery.Id.ToString(), request.Headers[WebhookSignature.DeliveryHeader]);
            Assert.Equal(ExpectedSignature(request.Headers[WebhookSignature.TimestampHeader], request.Body), request.Headers[WebhookSignature.SignatureHeader]);
            Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
            Assert.Contains(alert.ToString(), request.Body, StringComparison.Ordinal);
        });
        Assert.Single(received.Select(request => request.Body).Distinct());
    }

    [Fact]
    public async Task A_signature_under_another_secret_or_over_another_body_does_not_verify()
    {
        await using var receiver = new WebhookReceiver(HttpStatusCode.OK);
        var clock = MonitoringDatabase.Clock();
        var (options, _) = await FireAsync("verified", receiver.Url, clock);

        await Sender(options, clock).SendDueAsync(CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        var timestamp = request.Headers[WebhookSignature.TimestampHeader];
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.NotEqual(ExpectedSignature(timestamp, request.Body + " "), request.Headers[WebhookSignature.SignatureHeader]);
        Assert.NotEqual(ExpectedSignature(timestamp, request.Body, "another-secret-entirely"), request.Headers[WebhookSignature.SignatureHeader]);
    }

    [Fact]
    public async Task A_delivery_that_fails_every_attempt_is_dead_lettered_with_its_last_error_and_tried_no_more()
    {
        await using var receiver = new WebhookReceiver(HttpStatusCode.ServiceUnavailable);
        var clock = MonitoringDatabase.Clock();
        var (options, alert) = await FireAsync("dead", receiver.Url, clock, attempts: 3);
        var sender = Sender(options, clock);

        for (var i = 0; i < 6; i++)
        {
            await sender.SendDueAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var delivery = Assert.Single(await DeliveriesAsync(alert));
        Assert.Equal(("dead", 3, "HTTP 503 Service Unavailable"), (delivery.Status, delivery.Attempts, delivery.LastError));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Contains((await new AlertDeliveries(database.Gateway).ListAsync("dead", 0, 100, CancellationToken.None)).Items, dead => dead.Id == delivery.Id);
    }

    [Fact]
    public async Task A_receiver_that_is_not_there_counts_as_a_failed_attempt()
    {
        var clock = MonitoringDatabase.Clock();
        var (options, alert) = await FireAsync("absent", $"http://127.0.0.1:{WebhookReceiver.FreePort()}/hooks/", clock, attempts: 1);

        await Sender(options, clock).SendDueAsync(CancellationToken.None);

        var delivery = Assert.Single(await DeliveriesAsync(alert));
        Assert.Equal(("dead", 1), (delivery.Status, delivery.Attempts));
        Assert.False(string.IsNullOrEmpty(delivery.LastError));
    }

    [Fact]
    public async Task Pruning_removes_deliveries_that_ended_before_the_retention_and_keeps_those_still_pending()
    {
        await using var receiver = new WebhookReceiver(HttpStatusCode.NoContent);
        var clock = MonitoringDatabase.Clock();
        var (options, delivered) = await FireAsync("pruned-when-old", receiver.Url, clock);
        await Sender(options, clock).SendDueAsync(CancellationToken.None);
        var (_, pending) = await FireAsync("pending-kept", receiver.Url, clock);
        var deliveries = new AlertDeliveries(database.Silo);

        await deliveries.PruneAsync(clock.GetUtcNow().AddMinutes(-1), CancellationToken.None);
        Assert.Equal("delivered", Assert.Single(await DeliveriesAsync(delivered)).Status);

        clock.Advance(TimeSpan.FromHours(2));
        await deliveries.PruneAsync(clock.GetUtcNow().AddHours(-1), CancellationToken.None);

        Assert.Empty(await DeliveriesAsync(delivered));
        var kept = Assert.Single(await DeliveriesAsync(pending));
        Assert.Equal("pending", kept.Status);

        // Settled, so that the other tests' senders, on clocks that start where this one did, do not find it due.
        await deliveries.DeliveredAsync(kept.Id, clock.GetUtcNow(), CancellationToken.None);
    }

    private WebhookSender Sender(MonitoringOptions options, FakeTimeProvider clock) =>
        new(new AlertDeliveries(database.Silo), _http, options, clock, NullLogger<WebhookSender>.Instance);

    /// <summary>Fires one alert with one webhook configured, named after the test, so it has one delivery.</summary>
    private async Task<(MonitoringOptions Options, Guid Alert)> FireAsync(string name, string url, FakeTimeProvider clock, int attempts = 6)
    {
        var options = new MonitoringOptions
        {
            DeliveryAttempts = attempts,
            DeliveryBackoffSeconds = 2,
            Webhooks = [new WebhookOptions { Name = name, Url = url, Secret = Secret }],
        };
        var model = await database.NewModelAsync(name);
        var judgement = new Judgement(AlertKinds.LatencyP95, $"{model.Name}:1", model.Id, model.Name, 1, true, new Breach(AlertSeverities.Critical, 120, 100, "p95"));
        var fired = AlertBook.Plan([], [judgement], clock.GetUtcNow(), options).Single();
        Assert.True(await new AlertStore(database.Silo, options, clock).ApplyAsync(fired, CancellationToken.None));
        return (options, fired.Alert.Id);
    }

    private async Task<List<DeliveryRow>> DeliveriesAsync(Guid alert) =>
        (await new AlertDeliveries(database.Gateway).ListAsync(null, 0, 1_000, CancellationToken.None)).Items.Where(row => row.AlertId == alert).ToList();

    private static string ExpectedSignature(string timestamp, string body, string secret = Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
