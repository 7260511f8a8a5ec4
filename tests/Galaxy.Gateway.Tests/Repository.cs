namespace Galaxy.Gateway.Tests;

internal static class Repository
{
    /// <summary>The checkout's root: the folder above the test binaries that holds Galaxy.Orleans.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Galaxy.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Galaxy.Orleans.sln not found above the test binaries.");
    }
}
