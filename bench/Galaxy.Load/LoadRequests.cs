using System.Text;

namespace Galaxy.Load;

/// <summary>
/// The requests a load takes in turn. A requests file has one a line: <c>PATH</c> alone is a GET, <c>PATH</c>, a tab
/// and a JSON body is a POST of that body; blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
public sealed record LoadRequest(string Path, byte[]? JsonBody)
{
    public static IReadOnlyList<LoadRequest> ParseFile(string file)
    {
        var requests = new List<LoadRequest>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            var path = tab < 0 ? line : line[..tab];
            if (!path.StartsWith('/'))
            {
                throw new FormatException($"{file}:{number}: a request's path starts with '/', not \"{path}\".");
            }

            requests.Add(new LoadRequest(path, tab < 0 ? null : Encoding.UTF8.GetBytes(line[(tab + 1)..])));
        }

        return requests.Count > 0 ? requests : throw new FormatException($"{file} holds no request.");
    }

    /// <summary>The file's text for <paramref name="requests"/>, which <see cref="ParseFile"/> reads back.</summary>
    public static string Format(IEnumerable<LoadRequest> requests) =>
        string.Concat(requests.Select(r => r.JsonBody is null ? $"{r.Path}\n" : $"{r.Path}\t{Encoding.UTF8.GetString(r.JsonBody)}\n"));
}
