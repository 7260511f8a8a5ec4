namespace Galaxy.Registry;

/// <summary>One page of a listing: <see cref="Total"/> counts every match, not only this page's.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Offset, int Limit, long Total);

public static class Paging
{
    public const int MaxLimit = 1_000;

    public static void EnsureValid(int offset, int limit)
    {
        if (offset < 0 || limit is < 1 or > MaxLimit)
        {
            throw new InvalidRegistryInputException("limit", $"'offset' must be ≥ 0 and 'limit' in 1…{MaxLimit}.");
        }
    }
}
