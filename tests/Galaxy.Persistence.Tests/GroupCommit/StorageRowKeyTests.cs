namespace Galaxy.Persistence.Tests.GroupCommit;

/// <summary>
/// A grain's row key, without a database: the key columns per key shape and the total order batches lock rows in.
/// <see cref="InteropTests"/> proves the stock provider and this one address the same rows.
/// </summary>
public sealed class StorageRowKeyTests
{
    [Fact]
    public void An_integer_key_is_the_second_number_column()
    {
        var key = StorageRowKey.For("counter", TestGrains.Integer(42));

        Assert.Equal(("counter", 0L, 42L, (string?)null), (key.GrainType, key.N0, key.N1, key.Extension));
    }

    [Fact]
    public void A_guid_key_fills_both_number_columns_and_its_extension_the_extension_column()
    {
        var guid = Guid.NewGuid();
        var bytes = guid.ToByteArray();

        var key = StorageRowKey.For("counter", GrainId.Create(GrainType.Create("unit"), GrainIdKeyExtensions.CreateGuidKey(guid, "ext")));

        Assert.Equal((BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), "ext"), (key.N0, key.N1, key.Extension));
    }

    [Fact]
    public void A_string_key_travels_whole_in_the_extension_column()
    {
        var key = StorageRowKey.For("counter", GrainId.Create("unit", "user-7"));

        Assert.Equal((0L, 0L, "user-7"), (key.N0, key.N1, key.Extension));
    }

    [Fact]
    public void Keys_hash_their_grain_and_their_state_name_apart()
    {
        var seven = StorageRowKey.For("counter", TestGrains.Integer(7));
        var eight = StorageRowKey.For("counter", TestGrains.Integer(8));
        var otherState = StorageRowKey.For("ledger", TestGrains.Integer(7));

        Assert.NotEqual(seven.GrainIdHash, eight.GrainIdHash);
        Assert.Equal(seven.GrainTypeHash, eight.GrainTypeHash);
        Assert.Equal(seven.GrainIdHash, otherState.GrainIdHash);
        Assert.NotEqual(seven.GrainTypeHash, otherState.GrainTypeHash);
    }

    [Fact]
    public void A_generic_type_name_as_state_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => StorageRowKey.For("List`1", TestGrains.Integer(1)));

        Assert.Equal("stateName", error.ParamName);
    }

    [Fact]
    public void Keys_order_by_second_number_then_first_then_state_name_then_extension()
    {
        StorageRowKey[] ordered =
        [
            new("b", N0: 9, N1: 1, Extension: "z", GrainIdHash: 0, GrainTypeHash: 0),
            new("a", N0: 1, N1: 2, Extension: "z", GrainIdHash: 0, GrainTypeHash: 0),
            new("b", N0: 1, N1: 2, Extension: "a", GrainIdHash: 0, GrainTypeHash: 0),
            new("a", N0: 2, N1: 2, Extension: null, GrainIdHash: 0, GrainTypeHash: 0),
            new("a", N0: 2, N1: 2, Extension: "a", GrainIdHash: 0, GrainTypeHash: 0),
        ];

        var shuffled = ordered.Reverse().ToList();
        shuffled.Sort();

        Assert.Equal(ordered, shuffled);
        Assert.Equal(0, ordered[3].CompareTo(ordered[3] with { GrainIdHash = 5 }));
    }
}
