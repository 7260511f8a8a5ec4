namespace Galaxy.Grains;

/// <summary>A training request that cannot run: a recipe out of range, or data the recipe cannot train on.</summary>
[GenerateSerializer, Alias("galaxy.invalid-training-request")]
public sealed class InvalidTrainingRequestException : Exception
{
    public InvalidTrainingRequestException()
    {
    }

    public InvalidTrainingRequestException(string message)
        : base(message)
    {
    }

    public InvalidTrainingRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No training job was submitted under the id asked for.</summary>
[GenerateSerializer, Alias("galaxy.training-job-not-found")]
public sealed class TrainingJobNotFoundException : Exception
{
    public TrainingJobNotFoundException()
    {
    }

    public TrainingJobNotFoundException(string message)
        : base(message)
    {
    }

    public TrainingJobNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrainingJobNotFoundException(Guid jobId)
        : base($"No training job has the id {jobId}.")
    {
        JobId = jobId;
    }

    [Id(0)]
    public Guid JobId { get; init; }
}
