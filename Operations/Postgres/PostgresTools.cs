using System.Diagnostics;

namespace Galaxy.Operations.Postgres;

/// <summary>
/// PostgreSQL's programs (pg_basebackup, pg_verifybackup, pg_ctl, …) from one installed major version: the folder named
/// by <c>GALAXY_PG_BIN</c>, or else the newest under <c>/usr/lib/postgresql</c>, as <c>./galaxy</c> picks it. Programs
/// that touch a data folder run as its owner: as root that is <see cref="ServerUser"/> (Debian's <c>postgres</c>),
/// because PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresTools
{
    public const string BinEnvironmentVariable = "GALAXY_PG_BIN";
    private const string DebianRoot = "/usr/lib/postgresql";

    private PostgresTools(string bin, int majorVersion, string? serverUser)
    {
        Bin = bin;
        MajorVersion = majorVersion;
        ServerUser = serverUser;
    }

    public string Bin { get; }

    public int MajorVersion { get; }

    /// <summary>The account a server and its data folders run as when this process is root; null otherwise.</summary>
    public string? ServerUser { get; }

    public static PostgresTools Find() => Find(Environment.GetEnvironmentVariable(BinEnvironmentVariable));

    /// <summary>The programs in <paramref name="configured"/> when given (as <c>GALAXY_PG_BIN</c> names it), else Debian's newest.</summary>
    internal static PostgresTools Find(string? configured)
    {
        var bin = !string.IsNullOrEmpty(configured)
            ? configured
            : Directory.Exists(DebianRoot)
                ? Directory.GetDirectories(DebianRoot)
                    .Select(version => Path.Combine(version, "bin"))
                    .Where(candidate => File.Exists(Path.Combine(candidate, "pg_basebackup")))
                    .OrderByDescending(candidate => MajorOf(candidate))
                    .FirstOrDefault()
                : null;
        if (bin is null || !File.Exists(Path.Combine(bin, "pg_basebackup")))
        {
            throw new OperationsException(
                $"PostgreSQL's programs were not found (looked in {configured ?? DebianRoot + "/*/bin"}): install Debian's postgresql package, or set {BinEnvironmentVariable}.");
        }

        return new PostgresTools(bin, MajorOf(bin), Environment.IsPrivilegedProcess ? "postgres" : null);
    }

    public string PathOf(string program) => Path.Combine(Bin, program);

    /// <summary>Runs <paramref name="program"/> as this process's user; its standard error lines go to <paramref name="onError"/>.</summary>
    public Task<ToolResult> RunAsync(
        string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? onError = null, CancellationToken cancellationToken = default) =>
        ToolResult.RunAsync(PathOf(program), arguments, environment, onError, cancellationToken);

    /// <summary>Runs <paramref name="program"/> as the server's user (see <see cref="ServerUser"/>).</summary>
    public Task<ToolResult> RunAsServerAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        ServerUser is null
            ? RunAsync(program, arguments, cancellationToken: cancellationToken)
            : ToolResult.RunAsync("runuser", ["-u", ServerUser, "--", PathOf(program), .. arguments], null, null, cancellationToken);

    /// <summary>Hands a folder the server will use (a data folder, a WAL archive) to the server's user.</summary>
    public async Task GiveToServerAsync(string path, CancellationToken cancellationToken = default)
    {
        if (ServerUser is not null)
        {
            (await ToolResult.RunAsync("chown", ["-R", ServerUser, path], null, null, cancellationToken)).ThrowIfFailed();
        }
    }

    // /usr/lib/postgresql/15/bin → 15; a folder elsewhere asks pg_basebackup.
    private static int MajorOf(string bin)
    {
        if (int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major))
        {
            return major;
        }

        using var process = Process.Start(new ProcessStartInfo(Path.Combine(bin, "pg_basebackup"), "--version") { RedirectStandardOutput = true })!;
        var words = process.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        return int.Parse(words[^1].Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
