using Microsoft.Extensions.Configuration;

namespace Galaxy.Persistence;

public static class GalaxyConnection
{
    /// <summary>The variable <c>./galaxy</c> exports with the private PostgreSQL's connection string.</summary>
    public const string EnvironmentVariable = "GALAXY_CONNECTION_STRING";

    /// <summary>
    /// <c>ConnectionStrings:Galaxy</c>, or else <see cref="EnvironmentVariable"/>. With <c>Galaxy:Tls:AuthorityFile</c>
    /// set, the connection requires TLS and verifies the server's certificate and name against that CA, unless the
    /// connection string says otherwise itself.
    /// </summary>
    public static string GetGalaxyConnectionString(this IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Galaxy")
            ?? configuration[EnvironmentVariable]
            ?? throw new InvalidOperationException(
                $"No PostgreSQL connection string: set ConnectionStrings:Galaxy or {EnvironmentVariable} (./galaxy up does).");
        var authority = configuration[$"{Tls.TransportSecurityOptions.Section}:{nameof(Tls.TransportSecurityOptions.AuthorityFile)}"];
        return authority is null ? connectionString : RequireTls(connectionString, authority);
    }

    /// <summary><paramref name="connectionString"/> with TLS required and the server verified against <paramref name="authorityFile"/>.</summary>
    public static string RequireTls(string connectionString, string authorityFile)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("SSL Mode", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("SslMode", StringComparison.OrdinalIgnoreCase))
        {
            builder.SslMode = Npgsql.SslMode.VerifyFull;
            builder.RootCertificate = authorityFile;
        }

        return builder.ConnectionString;
    }
}
