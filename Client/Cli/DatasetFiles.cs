using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Cli;

/// <summary>Registers a local CSV file as a dataset: once per content, named after the file.</summary>
internal static partial class DatasetFiles
{
    /// <summary>
    /// Uploads <paramref name="path"/> labelled by <paramref name="labelColumn"/>. The gateway keeps one copy per content,
    /// so a file uploaded before is that dataset again; a name already taken by other content gets the content hash
    /// appended.
    /// </summary>
    public static async Task<DatasetResponse> RegisterAsync(GalaxyClient client, string path, string labelColumn, CancellationToken cancellationToken)
    {
        var name = NameOf(path);
        try
        {
            return await UploadAsync(client, path, name, labelColumn, cancellationToken);
        }
        catch (GalaxyApiException conflict) when (conflict.Code == "dataset-exists")
        {
            await using var file = File.OpenRead(path);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            return await UploadAsync(client, path, $"{name[..Math.Min(name.Length, 54)]}-{hash[..8]}", labelColumn, cancellationToken);
        }
    }

    private static async Task<DatasetResponse> UploadAsync(GalaxyClient client, string path, string name, string labelColumn, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return await client.UploadDatasetAsync(name, labelColumn, file, cancellationToken);
    }

    /// <summary>The file's name without its extension, in the registry's alphabet (<c>a-z 0-9 . _ -</c>).</summary>
    private static string NameOf(string path)
    {
        var name = NotAllowed().Replace(Path.GetFileNameWithoutExtension(path).ToLowerInvariant(), "-").Trim('-', '.', '_');
        return name.Length == 0 ? "dataset" : name[..Math.Min(name.Length, 63)];
    }

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex NotAllowed();
}
