namespace Galaxy.Training;

/// <summary>
/// Everything a population needs to go on after <see cref="EpochsDone"/> epochs: every candidate's parameters, row after
/// row. Shuffles and augmentations are a pure function of seed and epoch, so nothing else is kept.
/// </summary>
public sealed record PopulationCheckpoint(int EpochsDone, float[] Parameters);
