using Galaxy.Persistence.Audit;

namespace Galaxy.Persistence.Tests.Audit;

/// <summary>
/// Verifying an archive file with nothing but public keys: a whole one verifies, and each way its checkpoints or rows
/// can be wrong (an untrusted signer, a checkpoint inconsistent with itself or with the one before, an archive event
/// out of place, a row that does not link, rows missing from the end) is named.
/// </summary>
public sealed class AuditArchiveVerificationTests : IDisposable
{
    private readonly SignedChain _chain = new();

    [Fact]
    public async Task A_whole_archive_verifies_with_the_signers_public_key()
    {
        var report = await VerifyAsync(1, 4, [_chain.Checkpoint(1, 1, 4)], _chain.Rows.Take(4));

        Assert.True(report.Intact, report.Reason ?? string.Join("; ", report.Findings));
        Assert.Equal((4L, 4L), (report.RowsChecked, report.WitnessedThrough));
    }

    [Fact]
    public async Task Checkpoints_signed_by_a_key_not_trusted_here_witness_nothing()
    {
        var checkpoint = _chain.Checkpoint(1, 1, 4);
        var path = await _chain.ArchiveAsync(1, 4, [checkpoint], _chain.Rows.Take(4));

        var report = await AuditArchiveVerifier.VerifyAsync(path, new Dictionary<string, AuditVerificationKey>(), CancellationToken.None);

        Assert.Equal([$"{checkpoint} is signed by key {_chain.Key.Id}, which is not trusted here (Galaxy:Audit:TrustedKeyFiles)"], report.Findings);
        Assert.Equal("row 1 is not witnessed by any checkpoint the archive carries", report.Reason);
    }

    [Fact]
    public async Task A_checkpoint_whose_fingerprints_do_not_match_its_rows_is_inconsistent()
    {
        var checkpoint = _chain.Checkpoint(1, 1, 4, fingerprintRows: 3);

        var report = await VerifyAsync(1, 4, [checkpoint], _chain.Rows.Take(4));

        Assert.Equal([$"{checkpoint} is inconsistent: 3 fingerprints for 4 rows"], report.Findings);
        Assert.False(report.Intact);
    }

    [Fact]
    public async Task A_checkpoint_that_skips_rows_after_the_one_before_is_named()
    {
        var first = _chain.Checkpoint(1, 1, 2);
        var skipping = _chain.Checkpoint(2, 4, 4, previous: first);

        var report = await VerifyAsync(1, 4, [first, skipping], _chain.Rows.Take(4));

        Assert.Equal([$"{skipping} starts at row 4, not at row 3 where the witness left off"], report.Findings);
    }

    [Fact]
    public async Task An_archive_event_for_rows_never_witnessed_is_named()
    {
        var first = _chain.Checkpoint(1, 1, 2);
        var archive = _chain.Checkpoint(2, 6, 5, previous: first, kind: AuditCheckpoint.Kinds.Archive);

        var report = await VerifyAsync(1, 2, [first, archive], _chain.Rows.Take(2));

        Assert.Equal([$"{archive} archives rows that are not between the last archived row (0) and the last witnessed one (2)"], report.Findings);
    }

    [Fact]
    public async Task An_archive_that_carries_the_event_of_the_partition_before_it_verifies()
    {
        // This archive holds rows 3 and 4; the rows before it went to an earlier archive, whose event came after.
        var witnessing = _chain.Checkpoint(1, 3, 4);
        var earlierArchived = _chain.Checkpoint(2, 3, 2, previous: witnessing, kind: AuditCheckpoint.Kinds.Archive);

        var report = await VerifyAsync(3, 4, [witnessing, earlierArchived], _chain.Rows.Skip(2).Take(2));

        Assert.True(report.Intact, report.Reason ?? string.Join("; ", report.Findings));
        Assert.Equal(2, report.RowsChecked);
    }

    [Fact]
    public async Task A_row_that_does_not_link_to_the_one_before_is_named()
    {
        var rows = _chain.Rows.Take(4).ToList();
        rows[2] = SignedChain.Row(3, new byte[32]);

        var report = await VerifyAsync(1, 4, [_chain.Checkpoint(1, 1, 4)], rows);

        Assert.Equal(3, report.BrokenSeq);
        Assert.Equal("row 3 does not link to row 2", report.Reason);
    }

    [Fact]
    public async Task Rows_missing_from_the_end_of_an_archive_are_named()
    {
        var report = await VerifyAsync(1, 5, [_chain.Checkpoint(1, 1, 4)], _chain.Rows.Take(4));

        Assert.Equal(5, report.BrokenSeq);
        Assert.Equal("the archive ends at row 4 but its header says row 5", report.Reason);
    }

    public void Dispose() => _chain.Dispose();

    private async Task<AuditReport> VerifyAsync(long fromSeq, long toSeq, IReadOnlyList<AuditCheckpoint> checkpoints, IEnumerable<AuditRow> rows) =>
        await AuditArchiveVerifier.VerifyAsync(await _chain.ArchiveAsync(fromSeq, toSeq, checkpoints, rows), _chain.Trusted, CancellationToken.None);
}
