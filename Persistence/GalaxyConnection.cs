using Microsoft.Extensions.Configuration;

namespace Galaxy.Persistence;

public static class GalaxyConnection
{
    /// <summary>The variable <c>./galaxy</c> exports with the private PostgreSQL's connection string.</summary>
    public const string EnvironmentVariable = "GALAXY_CONNECTION_STRING";

    /// <summary><c>ConnectionStrings:Galaxy</c>, or else <see cref="EnvironmentVariable"/>.</summary>
    public static string GetGalaxyConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Galaxy")
        ?? configuration[EnvironmentVariable]
        ?? throw new InvalidOperationException(
            $"No PostgreSQL connection string: set ConnectionStrings:Galaxy or {EnvironmentVariable} (./galaxy up does).");
}
