using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// The witness folder: a checkpoint's file is written once and never replaced, and reading it back reports every file
/// that is not a checkpoint instead of skipping it.
/// </summary>
public sealed class FolderWitnessTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"galaxy-witness-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_checkpoints_file_is_written_once_and_never_replaced()
    {
        var witness = new FolderWitness(_folder);
        var first = CheckpointFiles.Unsigned(1, AuditCheckpoint.Kinds.Checkpoint, 1, 2);
        await witness.PublishAsync(first, CancellationToken.None);

        var forged = first with { Seq = 1, Fingerprints = Convert.ToBase64String(new byte[AuditRowHash.FingerprintBytes]) };
        await Assert.ThrowsAsync<IOException>(() => witness.PublishAsync(forged, CancellationToken.None));

        var problems = new List<string>();
        var kept = Assert.Single(witness.ReadAll(problems));
        Assert.Equal(first.SignedBytes(), kept.SignedBytes());
        Assert.Empty(problems);
        Assert.Equal("0000000001.json", FolderWitness.FileName(1));
    }

    [Fact]
    public async Task Files_that_are_not_checkpoints_are_reported_and_the_checkpoints_read_in_order()
    {
        var witness = new FolderWitness(_folder);
        await witness.PublishAsync(CheckpointFiles.Unsigned(2, AuditCheckpoint.Kinds.Checkpoint, 3, 4), CancellationToken.None);
        await witness.PublishAsync(CheckpointFiles.Unsigned(1, AuditCheckpoint.Kinds.Checkpoint, 1, 2), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_folder, "0000000003.json"), "{ not json");
        await File.WriteAllTextAsync(Path.Combine(_folder, "0000000004.json"), "null");
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "not a .json file: not read");

        var problems = new List<string>();
        var checkpoints = witness.ReadAll(problems);

        Assert.Equal([1L, 2L], checkpoints.Select(checkpoint => checkpoint.Id));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("witness file 0000000003.json is not a checkpoint: ", StringComparison.Ordinal));
        Assert.Contains("witness file 0000000004.json is not a checkpoint: Not an audit checkpoint.", problems);
    }

    [Fact]
    public void A_witness_folder_not_yet_made_holds_no_checkpoints()
    {
        var problems = new List<string>();

        Assert.Empty(new FolderWitness(_folder).ReadAll(problems));
        Assert.Empty(problems);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
