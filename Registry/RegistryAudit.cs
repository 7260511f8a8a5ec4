using System.Security.Cryptography;
using System.Text.Json;
using Galaxy.Persistence.Audit;
using Npgsql;

namespace Galaxy.Registry;

/// <summary>
/// The audit rows the registry appends for its own changes, in the same transaction as each change: the actor as
/// principal, one of the actions below, a readable target (<c>models/digits/versions/3 PENDING→APPROVED</c>), outcome
/// <see cref="AuditEntry.ChangeMade"/>, and as digest the SHA-256 of the change described in JSON.
/// </summary>
public static class RegistryAudit
{
    public const string ModelCreated = "model.created";
    public const string ModelUpdated = "model.updated";
    public const string VersionCreated = "model.version.created";
    public const string VersionStatusChanged = "model.version.status";
    public const string VersionEvaluated = "model.version.evaluated";
    public const string AliasSet = "model.alias.set";
    public const string AliasRemoved = "model.alias.removed";
    public const string DatasetRegistered = "dataset.registered";
    public const string DatasetDeleted = "dataset.deleted";

    internal static Task AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimeProvider time, string actor, string action, string target,
        object change, CancellationToken cancellationToken)
    {
        // The change's JSON is canonical enough to re-derive: a fixed shape per action, members in declaration order.
        var digest = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(change, RegistrySql.Json)));
        var entry = new AuditEntry(time.GetUtcNow(), actor, action, target, AuditEntry.ChangeMade, digest);
        return AuditAppend.AppendAsync(connection, transaction, entry, cancellationToken);
    }
}
