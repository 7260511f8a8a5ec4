namespace Galaxy.Grains.Tests;

/// <summary>Awaits that fail a broken test with a timeout instead of hanging the run.</summary>
internal static class Bounded
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task Within(this Task task) => task.WaitAsync(Limit);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Limit);
}
