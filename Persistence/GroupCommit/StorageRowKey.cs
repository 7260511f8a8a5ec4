using System.Text;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// The <c>OrleansStorage</c> row of one grain's state, with the columns computed exactly as Orleans's ADO.NET provider
/// computes them, so that provider and this one address, and can read, the same rows.
/// </summary>
internal readonly record struct StorageRowKey(
    string GrainType, long N0, long N1, string? Extension, int GrainIdHash, int GrainTypeHash) : IComparable<StorageRowKey>
{
    /// <summary>The key of the state <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    public static StorageRowKey For(string stateName, GrainId grainId)
    {
        // The stock provider rewrites generic type names before storing them; plain state names are stored as given.
        if (stateName.Contains('`', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"State name '{stateName}' looks like a generic type name, which this provider does not store; give the state a plain name.",
                nameof(stateName));
        }

        long n0 = 0, n1 = 0;
        string? extension;
        byte[] idBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            var guidBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(guidBytes, 0);
            n1 = BitConverter.ToInt64(guidBytes, 8);
            idBytes = WithExtension(guidBytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            idBytes = WithExtension(BitConverter.GetBytes(integer), extension);
        }
        else
        {
            // Neither a Guid nor an integer key: the whole key travels as the extension string.
            extension = grainId.Key.ToString();
            idBytes = Encoding.UTF8.GetBytes(extension);
        }

        // Hashed big-endian, as the stock provider does (the columns are informational; the row key is unique without them).
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(idBytes);
        }

        return new StorageRowKey(
            stateName, n0, n1, extension,
            (int)StableHash.ComputeHash(idBytes),
            (int)StableHash.ComputeHash(Encoding.UTF8.GetBytes(stateName)));
    }

    /// <summary>An arbitrary but total order: batches lock their rows in it, so two batches never deadlock each other.</summary>
    public int CompareTo(StorageRowKey other)
    {
        var order = N1.CompareTo(other.N1);
        if (order == 0) order = N0.CompareTo(other.N0);
        if (order == 0) order = string.CompareOrdinal(GrainType, other.GrainType);
        if (order == 0) order = string.CompareOrdinal(Extension, other.Extension);
        return order;
    }

    private static byte[] WithExtension(byte[] keyBytes, string? extension) =>
        extension is null ? keyBytes : [.. keyBytes, .. Encoding.UTF8.GetBytes(extension)];
}
