using Galaxy.Gateway.GraphQL;

namespace Galaxy.Gateway.Tests;

/// <summary>The GraphQL batch loader: the keys one level asks for go in one fetch, later keys in the next.</summary>
public sealed class BatchLoaderTests
{
    [Fact]
    public async Task Keys_asked_for_before_the_first_result_is_awaited_go_in_one_fetch()
    {
        var fetches = new List<IReadOnlyList<int>>();
        var loader = new BatchLoader<int, string>((keys, _) =>
        {
            fetches.Add(keys);
            return Task.FromResult<IReadOnlyDictionary<int, string>>(keys.Where(key => key != 4).ToDictionary(key => key, key => $"v{key}"));
        });

        var results = Enumerable.Range(1, 5).Select(key => loader.Load(key)).Append(loader.Load(2)).ToList();
        var values = new List<string?>();
        foreach (var result in results)
        {
            values.Add(await result.GetResultAsync());
        }

        var later = await loader.Load(9).GetResultAsync();

        Assert.Equal(["v1", "v2", "v3", null, "v5", "v2"], values);
        Assert.Equal("v9", later);
        Assert.Equal(2, fetches.Count);
        Assert.Equal([1, 2, 3, 4, 5], fetches[0].Order());
        Assert.Equal([9], fetches[1]);
    }
}
