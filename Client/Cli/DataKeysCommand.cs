using System.CommandLine;
using Galaxy.Persistence;
using Galaxy.Registry;
using Galaxy.Registry.Protection;
using Npgsql;
using Spectre.Console;

namespace Galaxy.Cli;

/// <summary>
/// <c>galaxy-cli data-keys rotate --kek ID=FILE … [--active ID]</c>: rewraps every data key with the active
/// key-encryption key and seals the datasets and weights still stored in plaintext, a row per transaction, while the
/// cluster serves. Run as the schema's owner (only it may rewrap); keep the old KEK configured until this has run.
/// </summary>
internal static class DataKeysCommand
{
    public static Command Create()
    {
        var keks = new Option<string[]>("--kek") { Description = "A key-encryption key, ID=FILE (base64 of 32 bytes); repeat for each", Required = true };
        var active = new Option<string?>("--active") { Description = "The KEK that wraps from now on (default: the first --kek)" };
        var rotate = new Command("rotate", "Rewrap every data key with the active KEK; seal what is still plaintext.") { keks, active };
        rotate.SetAction(async (result, cancellationToken) =>
        {
            var options = new DataProtectionOptions
            {
                ActiveKeyId = result.GetValue(active),
                KeyEncryptionKeys = [.. result.GetValue(keks)!.Select(Parse)],
            };
            var protector = new DataProtector(options.KeyEncryptionKeys.Select(LocalKeyEncryptionKey.From), options.ActiveKeyId);
            var connectionString = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
                ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set (./galaxy data-keys sets it to the owner's).");
            await using var database = NpgsqlDataSource.Create(connectionString);
            var rewrapped = await protector.RewrapAsync(database, TimeProvider.System, cancellationToken);
            var datasets = await new DatasetStore(database, TimeProvider.System, protector).SealStoredAsync(cancellationToken);
            var versions = await new ModelRegistry(database, TimeProvider.System, protector).SealStoredAsync(cancellationToken);
            var populations = await new Galaxy.Registry.Training.TrainingJobStore(database, TimeProvider.System, protector).SealStoredAsync(cancellationToken);
            AnsiConsole.MarkupLineInterpolated(
                $"[green]data keys wrapped by '{protector.Active!.Id}'[/]: {rewrapped:N0} rewrapped; sealed {datasets:N0} datasets, {versions:N0} versions and {populations:N0} training populations stored in plaintext");
            return 0;
        });
        return new Command("data-keys", "Encryption at rest: the data keys under the key-encryption keys.") { rotate };
    }

    private static KeyEncryptionKeyOptions Parse(string kek)
    {
        var equals = kek.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new KeyEncryptionKeyOptions { Id = kek[..equals], KeyFile = kek[(equals + 1)..] }
            : throw new ArgumentException($"--kek {kek}: expected ID=FILE.");
    }
}
