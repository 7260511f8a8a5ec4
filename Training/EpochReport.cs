namespace Galaxy.Training;

/// <summary>How one candidate stood after an epoch.</summary>
/// <param name="TrainLoss">Mean loss of the epoch's steps, each measured before its update (mixed and noisy samples).</param>
/// <param name="ValidationLoss">Mean loss on the validation split (cross-entropy, or squared error to the one-hot target).</param>
/// <param name="ValidationAccuracy">Share of validation rows whose largest output is their class.</param>
/// <param name="RejectedSteps">Steps refused because they would have made a parameter non-finite.</param>
public sealed record CandidateScore(double TrainLoss, double ValidationLoss, double ValidationAccuracy, int RejectedSteps);

/// <summary>One epoch of a population: every candidate's score, the best one's row, and what it cost.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="SampleSteps">SGD steps taken, over all candidates.</param>
/// <param name="DeviceTime">Time the compute backend spent on this epoch's launches.</param>
public sealed record EpochReport(int Epoch, IReadOnlyList<CandidateScore> Scores, int Best, long SampleSteps, TimeSpan WallTime, TimeSpan DeviceTime)
{
    public CandidateScore BestScore => Scores[Best];

    /// <summary>The highest validation accuracy, ties to the lower validation loss, then to the lower row.</summary>
    public static int BestOf(IReadOnlyList<CandidateScore> scores)
    {
        var best = 0;
        for (var row = 1; row < scores.Count; row++)
        {
            var (candidate, leader) = (scores[row], scores[best]);
            if (candidate.ValidationAccuracy > leader.ValidationAccuracy
                || (candidate.ValidationAccuracy == leader.ValidationAccuracy && candidate.ValidationLoss < leader.ValidationLoss))
            {
                best = row;
            }
        }

        return best;
    }
}
