using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Galaxy.Grains.Tests.Contracts;

/// <summary>
/// Every error a grain throws reaches its caller intact: encoded as Orleans encodes a failed call's exception (statically
/// an <see cref="Exception"/>), it decodes to the same type with the same message, cause and figures.
/// </summary>
public sealed class ExceptionWireTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(LabscapeOverloadedException).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    /// <summary>Every error type of the grain contracts.</summary>
    private static readonly Type[] Kinds =
    [
        typeof(LabscapeOverloadedException),
        typeof(RequestTimedOutException),
        typeof(InvalidUnitInputException),
        typeof(RevisionMismatchException),
        typeof(GalaxyKeyOutOfRangeException),
        typeof(StateNotPersistedException),
        typeof(InvalidDeploymentException),
        typeof(DeploymentNotFoundException),
        typeof(DeploymentNotRollbackableException),
        typeof(InvalidEvaluationException),
        typeof(InvalidTrainingRequestException),
        typeof(TrainingJobNotFoundException),
        typeof(InvalidOptimizationException),
    ];

    /// <summary>Each kind of error made each way its constructors allow: plain, with a message, with a message and a cause.</summary>
    public static TheoryData<Exception> Errors()
    {
        var errors = new TheoryData<Exception>();
        foreach (var kind in Kinds)
        {
            errors.Add(Make(kind));
            errors.Add(Make(kind, "The request cannot be served as asked."));
            errors.Add(Make(kind, "The request cannot be served as asked.", new InvalidOperationException("the cause")));
        }

        return errors;
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void An_error_crosses_the_wire_with_its_type_message_and_cause(Exception error)
    {
        var decoded = RoundTrip(error);

        Assert.IsType(error.GetType(), decoded);
        Assert.Equal(error.Message, decoded.Message);
        Assert.Equal(error.InnerException?.GetType(), decoded.InnerException?.GetType());
        Assert.Equal(error.InnerException?.Message, decoded.InnerException?.Message);
    }

    [Fact]
    public void A_revision_mismatch_says_and_carries_both_revisions()
    {
        var decoded = RoundTrip(new RevisionMismatchException(unitId: 3, expected: 4, actual: 5));

        var mismatch = Assert.IsType<RevisionMismatchException>(decoded);
        Assert.Equal("Unit 3 is at revision 5, not the expected 4; nothing was changed.", mismatch.Message);
        Assert.Equal(4, mismatch.Expected);
        Assert.Equal(5, mismatch.Actual);
    }

    [Fact]
    public void A_key_out_of_range_says_and_carries_the_kind_and_id()
    {
        var decoded = RoundTrip(new GalaxyKeyOutOfRangeException("Unit", 9, 8));

        var outOfRange = Assert.IsType<GalaxyKeyOutOfRangeException>(decoded);
        Assert.Equal("Unit 9 does not exist: ids run from 0 to 7.", outOfRange.Message);
        Assert.Equal("Unit", outOfRange.Kind);
        Assert.Equal(9, outOfRange.Id);
    }

    [Fact]
    public void A_missing_training_job_says_and_carries_its_id()
    {
        var jobId = Guid.Parse("0b3f4d8e-6b1a-4c1e-9f3a-2d5c7e9a1b2c");

        var decoded = RoundTrip(new TrainingJobNotFoundException(jobId));

        var notFound = Assert.IsType<TrainingJobNotFoundException>(decoded);
        Assert.Equal($"No training job has the id {jobId}.", notFound.Message);
        Assert.Equal(jobId, notFound.JobId);
    }

    private static Exception Make(Type kind, params object[] arguments) => (Exception)Activator.CreateInstance(kind, arguments)!;

    private static Exception RoundTrip(Exception error) => Serializer.Deserialize<Exception>(Serializer.SerializeToArray(error))!;
}
