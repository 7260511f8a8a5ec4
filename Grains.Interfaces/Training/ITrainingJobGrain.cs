namespace Galaxy.Grains;

/// <summary>
/// One training job, keyed by its id: it trains its request's population and registers the best candidate as a
/// <c>PENDING</c> version. Its state is persisted after every epoch, with a checkpoint of the population, so a job whose
/// silo dies resumes elsewhere from its last checkpoint and ends with the same version.
/// </summary>
[Alias("galaxy.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithGuidKey
{
    /// <summary>Queues the job. A job is submitted once: submitting to an existing job returns its state unchanged.</summary>
    /// <exception cref="InvalidTrainingRequestException">The recipe is invalid.</exception>
    [Alias("Submit")]
    Task<TrainingJobState> Submit(TrainingJobRequest request);

    /// <summary>The job's state, with its progress through the current epoch (also the Orleans dashboard's grain-state view).</summary>
    /// <exception cref="TrainingJobNotFoundException">No job was submitted under this id.</exception>
    [Alias("GetState"), AlwaysInterleave]
    Task<TrainingJobState> GetState();

    /// <summary>
    /// The job's state once its <see cref="TrainingJobState.Revision"/> passes <paramref name="afterRevision"/>, or after
    /// <paramref name="maxWait"/> whatever it is: a long poll, for streaming progress.
    /// </summary>
    [Alias("WaitForChange"), AlwaysInterleave]
    Task<TrainingJobState> WaitForChange(long afterRevision, TimeSpan maxWait);

    /// <summary>Stops a queued or running job (<see cref="TrainingJobStatus.Cancelled"/>); a finished job is left as it is.</summary>
    [Alias("Cancel")]
    Task<TrainingJobState> Cancel(string actor);
}
