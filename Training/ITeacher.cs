namespace Galaxy.Training;

/// <summary>
/// Sets the targets a population learns from (distillation): called once per learn launch with its rows' inputs,
/// standardised and augmented, and the recipe's targets for them (one-hot, or mixed by mixup), which it may overwrite.
/// </summary>
public interface ITeacher
{
    /// <param name="inputs">rows × D floats.</param>
    /// <param name="targets">rows × K floats, in place.</param>
    Task TeachAsync(ReadOnlyMemory<float> inputs, Memory<float> targets);
}
