using Galaxy.Client;

namespace Galaxy.Testing;

/// <summary>
/// A unit's first call activates it and its labscape, which on a busy machine (or over TLS) can outlast the gateway's
/// 5 s wait for a silo's answer. A predict is safe to repeat, so a test that needs a cold unit to answer repeats it
/// until one arrives, for a minute at most.
/// </summary>
public static class ColdStart
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static async Task UntilAnsweredAsync(Func<Task> predict)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                await predict();
                return;
            }
            catch (GalaxyUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
