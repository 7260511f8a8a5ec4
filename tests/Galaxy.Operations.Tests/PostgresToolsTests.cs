using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Tests;

/// <summary>
/// Finding PostgreSQL's programs: Debian's newest version, or the folder <c>GALAXY_PG_BIN</c> names (its version then
/// asked of pg_basebackup), and a folder without them refused with what to do.
/// </summary>
public sealed class PostgresToolsTests
{
    [Fact]
    public void Without_a_configured_folder_the_newest_debian_version_is_used_and_its_version_read_from_the_path()
    {
        var tools = PostgresTools.Find(configured: null);

        Assert.Equal($"/usr/lib/postgresql/{tools.MajorVersion}/bin", tools.Bin);
        Assert.Equal(Path.Combine(tools.Bin, "pg_ctl"), tools.PathOf("pg_ctl"));
        Assert.Equal(Environment.IsPrivilegedProcess ? "postgres" : null, tools.ServerUser);
    }

    [Fact]
    public void A_configured_folder_outside_debians_layout_is_used_and_pg_basebackup_tells_its_version()
    {
        var debian = PostgresTools.Find(configured: null);
        var folder = Path.Combine(Directory.CreateTempSubdirectory("galaxy-pg-bin-").FullName, "bin");
        Directory.CreateDirectory(folder);
        try
        {
            File.CreateSymbolicLink(Path.Combine(folder, "pg_basebackup"), debian.PathOf("pg_basebackup"));

            var tools = PostgresTools.Find(folder);

            Assert.Equal(folder, tools.Bin);
            Assert.Equal(debian.MajorVersion, tools.MajorVersion);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_configured_folder_without_the_programs_is_refused_with_what_to_do()
    {
        var folder = Directory.CreateTempSubdirectory("galaxy-pg-bin-").FullName;
        try
        {
            var error = Assert.Throws<OperationsException>(() => PostgresTools.Find(folder));

            Assert.Contains($"looked in {folder}", error.Message, StringComparison.Ordinal);
            Assert.Contains(PostgresTools.BinEnvironmentVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
