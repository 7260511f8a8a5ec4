namespace Galaxy.Grains;

/// <summary>
/// The durable state of one AI unit: its model and its history. Persisted under the state name
/// <see cref="StateName"/>; the parameters are the durable copy of the unit's row in its labscape's table.
/// </summary>
[GenerateSerializer, Alias("galaxy.unit-state.v1")]
public sealed record UnitState
{
    public const string StateName = "unit";

    [Id(0)] public long UnitId { get; init; }

    [Id(1)] public int LabscapeId { get; init; }

    [Id(2)] public ModelShape Architecture { get; init; } = new(0, 0, 0);

    /// <summary>W1 | b1 | W2 | b2, row-major (see <c>Galaxy.Kernels.MlpArchitecture</c>).</summary>
    [Id(3)] public float[] Parameters { get; init; } = [];

    /// <summary>The model version the parameters descend from ("initial" for the seeded weights).</summary>
    [Id(4)] public string ModelVersion { get; init; } = "";

    /// <summary>Bumped by every change of <see cref="Parameters"/>: the labscape's table and this state agree when their revisions do.</summary>
    [Id(5)] public long Revision { get; init; }

    [Id(6)] public long Predictions { get; init; }

    [Id(7)] public long Learns { get; init; }

    /// <summary>Learn steps refused because they would have made a parameter non-finite.</summary>
    [Id(8)] public long RejectedSteps { get; init; }

    [Id(9)] public DateTimeOffset CreatedAt { get; init; }

    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }
}
