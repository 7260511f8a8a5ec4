using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>A checkpoint as reports and messages name it: its number, what it records, when, and its label.</summary>
public sealed class AuditCheckpointTests
{
    [Fact]
    public void Each_kind_of_checkpoint_reads_as_what_it_records()
    {
        Assert.Equal(
            "checkpoint #12 (rows to 4,096, 2026-12-01 10:00:00Z)",
            CheckpointFiles.Unsigned(12, AuditCheckpoint.Kinds.Checkpoint, 4_000, 4_096).ToString());
        Assert.Equal(
            "checkpoint #13 (restore to row 1,024, 2026-12-01 10:00:00Z, restored from 20261201T090000Z)",
            CheckpointFiles.Unsigned(13, AuditCheckpoint.Kinds.Restore, 1_025, 1_024, "restored from 20261201T090000Z").ToString());
        Assert.Equal(
            "checkpoint #14 (archive of rows to 2,048, 2026-12-01 10:00:00Z, galaxy_audit_2026_11.jsonl.gz)",
            CheckpointFiles.Unsigned(14, AuditCheckpoint.Kinds.Archive, 2_049, 2_048, "galaxy_audit_2026_11.jsonl.gz").ToString());
    }

    [Fact]
    public void A_checkpoint_survives_its_json_and_anything_else_is_refused()
    {
        var checkpoint = CheckpointFiles.Unsigned(3, AuditCheckpoint.Kinds.Checkpoint, 1, 4, "label with \"quotes\"");

        var copy = AuditCheckpoint.FromJson(checkpoint.ToJson());

        Assert.Equal(checkpoint.SignedBytes(), copy.SignedBytes());
        Assert.Equal(CheckpointFiles.At, copy.At);
        Assert.Equal("Not an audit checkpoint.", Assert.Throws<FormatException>(() => AuditCheckpoint.FromJson("null")).Message);
    }
}
