namespace Galaxy.Testing.Processes;

/// <summary>Where the solution's build put a project's assembly, in the configuration the caller was built in.</summary>
public static class RepositoryBuild
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// <paramref name="project"/> is the project's folder and assembly name, e.g. <c>Silo/Galaxy.Silo</c>; the caller
    /// (built in bin/&lt;configuration&gt;/net10.0) names the configuration.
    /// </summary>
    public static string AssemblyOf(string project)
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent!.Name;
        var assembly = Path.Combine(
            Root, Path.GetDirectoryName(project)!, "bin", configuration, framework.Name, Path.GetFileName(project) + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new FileNotFoundException($"{assembly} is not built: build the solution in {configuration} first.", assembly);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Galaxy.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No Galaxy.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
