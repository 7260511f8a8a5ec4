using System.Net;
using System.Net.Sockets;
using Galaxy.Operations.Backup;
using Galaxy.Operations.Postgres;

namespace Galaxy.Operations.Restore;

/// <summary>
/// The proof a backup restores: it is restored into a scratch folder through the whole archive, started on a free
/// loopback port without archiving (the archive is only read), checked (<see cref="RestoredDatabase"/>: the audit
/// chain must verify), then stopped and deleted. The verdict is recorded on the backup.
/// </summary>
public sealed class TrialRestore(BackupStore store, PostgresTools tools, TimeProvider time)
{
    public async Task<RestoreResult> RunAsync(
        string backupId, string connectionString, string? scratchDirectory, Action<string, double?> progress, CancellationToken cancellationToken)
    {
        var parent = scratchDirectory ?? Path.GetTempPath();
        var folder = Path.Combine(parent, $"galaxy-trial-restore-{backupId}-{Guid.NewGuid():N}"[..60]);
        try
        {
            var result = await new Restorer(store, tools, time).RestoreAsync(
                new RestoreRequest
                {
                    BackupId = backupId,
                    Target = RecoveryTarget.Latest,
                    DataDirectory = folder,
                    Port = FreePort(),
                    ConnectionString = connectionString,
                    ArchiveAfterRestore = false,
                    Progress = progress,
                },
                cancellationToken);
            var backup = store.Get(backupId);
            store.Save(backup with
            {
                TrialRestoredAt = time.GetUtcNow(),
                TrialRestoreSummary = (result.Database.AuditIntact ? "restored: " : "RESTORED WITH A BROKEN AUDIT CHAIN: ") + result.Database.Summary,
            });
            return result;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
