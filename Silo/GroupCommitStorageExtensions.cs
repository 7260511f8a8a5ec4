using Galaxy.Persistence.GroupCommit;
using Microsoft.Extensions.Configuration;

namespace Galaxy.Silo;

public static class GroupCommitStorageExtensions
{
    /// <summary>
    /// Adds the grain storage <paramref name="name"/> on PostgreSQL with group commit: many grains' writes share one
    /// transaction, each acknowledged only after it commits. Its limits come from <c>Galaxy:Storage:GroupCommit</c> in
    /// <paramref name="configuration"/>, when given, and are validated at start.
    /// </summary>
    public static ISiloBuilder AddGalaxyGroupCommitStorage(
        this ISiloBuilder silo, string name, string connectionString, IConfiguration? configuration = null)
    {
        silo.Services.AddGroupCommitGrainStorage(name, options =>
        {
            configuration?.GetSection(GroupCommitStorageOptions.Section).Bind(options);
            options.ConnectionString = connectionString;
        });
        return silo;
    }
}
