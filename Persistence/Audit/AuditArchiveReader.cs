using System.Runtime.CompilerServices;

namespace Galaxy.Persistence.Audit;

/// <summary>An archive file being read: its header and checkpoints, then its rows, once, in the order they were written.</summary>
public sealed class AuditArchiveReader(AuditArchive header, IReadOnlyList<AuditCheckpoint> checkpoints, StreamReader text) : IDisposable
{
    public AuditArchive Header { get; } = header;

    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; } = checkpoints;

    /// <exception cref="InvalidDataException">A line is not a row.</exception>
    public async IAsyncEnumerable<AuditRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await text.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return AuditArchive.Parse<AuditRow>(line, "row");
        }
    }

    public void Dispose() => text.Dispose();
}
