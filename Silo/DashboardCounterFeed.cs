using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace Galaxy.Silo;

/// <summary>
/// The Orleans dashboard's feed of the runtime's counters: its internal <c>DashboardHost</c>, a once-a-second
/// OpenTelemetry reader of the "Orleans" meter whose period it exposes only as a property. Looked up by name, so an
/// Orleans upgrade that changes it fails the silo's start (and the tests) instead of silently sampling every second.
/// </summary>
internal static class DashboardCounterFeed
{
    private const string TypeName = "Orleans.Dashboard.DashboardHost";
    private const string IntervalProperty = "ExportIntervalMilliseconds";

    public static Type Type { get; } = typeof(DashboardOptions).Assembly.GetType(TypeName)
        ?? throw Changed($"has no {TypeName}");

    private static PropertyInfo Interval { get; } = Type.GetProperty(IntervalProperty, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw Changed($"{TypeName} has no {IntervalProperty}");

    /// <summary>The dashboard's own feed, built as DI would build it, sampling every <paramref name="interval"/>.</summary>
    public static object Create(IServiceProvider services, TimeSpan interval)
    {
        var feed = ActivatorUtilities.CreateInstance(services, Type);
        Interval.SetValue(feed, (int)interval.TotalMilliseconds);
        return feed;
    }

    /// <summary>The period the feed samples at, in milliseconds.</summary>
    public static int IntervalOf(object feed) => (int)Interval.GetValue(feed)!;

    private static InvalidOperationException Changed(string what) =>
        new($"This Orleans dashboard {what}; check how it samples its counters before upgrading.");
}
