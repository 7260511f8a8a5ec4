using Galaxy.Kernels;

namespace Galaxy.Training;

/// <summary>
/// A population's data, prepared once: the training and validation splits, both standardised with what the training
/// split alone says (<see cref="Standardization"/>), which a trained version then carries.
/// </summary>
public sealed record TrainingSet(LabelledData Train, LabelledData Validation, Standardization Standardization)
{
    public static TrainingSet Prepare(LabelledData data, TrainingRecipe recipe)
    {
        if (data.Features > MlpArchitecture.MaxDimension)
        {
            throw new ArgumentException($"The data has {data.Features} features; a unit model takes at most {MlpArchitecture.MaxDimension}.");
        }

        if (data.Classes.Count is < 2 or > MlpArchitecture.MaxDimension)
        {
            throw new ArgumentException($"The data has {data.Classes.Count} classes; a classifier needs 2…{MlpArchitecture.MaxDimension}.");
        }

        var (train, validation) = data.Split(recipe.ValidationFraction);
        if (validation.Rows == 0)
        {
            throw new ArgumentException("Too few rows to hold any out for validation: every class needs at least two.");
        }

        var standardization = Standardization.Fit(train, recipe.StandardizationFloor);
        return new TrainingSet(train.Standardized(standardization), validation.Standardized(standardization), standardization);
    }

    /// <summary>
    /// The splits <see cref="Prepare"/> would make, standardised with a given <paramref name="standardization"/> (a
    /// registered version's own) instead of one fitted here.
    /// </summary>
    public static TrainingSet Split(LabelledData data, double validationFraction, Standardization standardization)
    {
        var (train, validation) = data.Split(validationFraction);
        if (validation.Rows == 0)
        {
            throw new ArgumentException("Too few rows to hold any out for validation: every class needs at least two.");
        }

        return new TrainingSet(train.Standardized(standardization), validation.Standardized(standardization), standardization);
    }

    public MlpArchitecture Architecture(int hidden) => new(Train.Features, hidden, Train.Classes.Count);
}
