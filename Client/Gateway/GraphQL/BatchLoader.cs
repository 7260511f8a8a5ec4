using GraphQL.DataLoader;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// Collects the keys a query level asks for and fetches them in one call when the executor first needs one of them, so
/// that a list of N models costs one look-up of their deployments, not N (the DataLoader pattern: graphql-dotnet awaits
/// the <see cref="IDataLoaderResult"/>s of a level only after it has visited the whole level). One per request.
/// </summary>
internal sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private Batch _open = new();

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_lock)
        {
            _open.Keys.Add(key);
            return new Result(this, _open, key);
        }
    }

    private Task<IReadOnlyDictionary<TKey, TValue>> Send(Batch batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (batch.Sent is null)
            {
                batch.Sent = fetch([.. batch.Keys], cancellationToken);
                if (ReferenceEquals(batch, _open))
                {
                    _open = new Batch();
                }
            }

            return batch.Sent;
        }
    }

    private sealed class Batch
    {
        public HashSet<TKey> Keys { get; } = [];

        public Task<IReadOnlyDictionary<TKey, TValue>>? Sent { get; set; }
    }

    private sealed class Result(BatchLoader<TKey, TValue> loader, Batch batch, TKey key) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await loader.Send(batch, cancellationToken)).TryGetValue(key, out var value) ? value : default;

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
