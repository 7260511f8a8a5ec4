namespace Galaxy.Training;

/// <summary>
/// How a classifier did on labelled rows: accuracy, each class's precision and recall, and the confusion matrix
/// (<c>Confusion[actual][predicted]</c>, classes in the model's order).
/// </summary>
public sealed record ClassificationReport(
    IReadOnlyList<string> Classes, int Rows, double Accuracy, IReadOnlyList<ClassScore> PerClass, int[][] Confusion)
{
    public static ClassificationReport FromPredictions(IReadOnlyList<string> classes, ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException("One prediction per labelled row.");
        }

        var confusion = classes.Select(_ => new int[classes.Count]).ToArray();
        var correct = 0;
        for (var row = 0; row < actual.Length; row++)
        {
            confusion[actual[row]][predicted[row]]++;
            correct += actual[row] == predicted[row] ? 1 : 0;
        }

        var perClass = new ClassScore[classes.Count];
        for (var k = 0; k < classes.Count; k++)
        {
            var truePositives = confusion[k][k];
            var support = confusion[k].Sum();
            var predictedAsK = confusion.Sum(row => row[k]);
            perClass[k] = new ClassScore(
                classes[k],
                predictedAsK == 0 ? 0 : (double)truePositives / predictedAsK,
                support == 0 ? 0 : (double)truePositives / support,
                support);
        }

        return new ClassificationReport(classes, actual.Length, actual.Length == 0 ? 0 : (double)correct / actual.Length, perClass, confusion);
    }
}

/// <summary>One class's precision (of the rows predicted as it, the share that are) and recall (of its rows, the share found).</summary>
public sealed record ClassScore(string Class, double Precision, double Recall, int Support);
