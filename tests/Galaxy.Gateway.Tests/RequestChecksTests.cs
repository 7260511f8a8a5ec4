using Galaxy.Gateway.Endpoints;
using Galaxy.Grains;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// The gateway's input checks as functions, in milliseconds: the boundaries of each, and the problem a caller reads when
/// a check fails. <see cref="BadRequestCorpusTests"/> sends the same kinds of bad input through the running gateway.
/// </summary>
public sealed class RequestChecksTests
{
    // 3 labscapes of 4 units: units 0…11.
    private static readonly GalaxyTopology Topology = new(3, 4, new ModelShape(16, 16, 4));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("11", 11)]
    [InlineData("007", 7)]
    public void A_unit_id_in_the_galaxy_passes(string raw, long expected)
    {
        Assert.Null(RequestChecks.UnitId(raw, Topology, out var unitId));
        Assert.Equal(expected, unitId);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("unit")]
    [InlineData("")]
    public void A_unit_id_that_is_not_a_non_negative_integer_is_invalid(string raw)
    {
        AssertProblem(RequestChecks.UnitId(raw, Topology, out _), 400, "invalid-id",
            $"'{raw}' is not a unit id: ids are non-negative integers.");
    }

    [Fact]
    public void A_long_invalid_id_is_shortened_in_the_problem()
    {
        var raw = new string('x', 100);

        AssertProblem(RequestChecks.UnitId(raw, Topology, out _), 400, "invalid-id",
            $"'{raw[..64]}…' is not a unit id: ids are non-negative integers.");
    }

    [Fact]
    public void A_unit_id_past_the_last_unit_is_not_found()
    {
        AssertProblem(RequestChecks.UnitId("12", Topology, out _), 404, "unit-not-found",
            "unit 12 does not exist: ids run from 0 to 11.");
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("2", 2)]
    public void A_labscape_id_in_the_galaxy_passes(string raw, int expected)
    {
        Assert.Null(RequestChecks.LabscapeId(raw, Topology, out var labscapeId));
        Assert.Equal(expected, labscapeId);
    }

    [Fact]
    public void A_labscape_id_that_does_not_parse_is_invalid_and_names_no_labscape()
    {
        AssertProblem(RequestChecks.LabscapeId("-2", Topology, out var labscapeId), 400, "invalid-id",
            "'-2' is not a labscape id: ids are non-negative integers.");
        Assert.Equal(-1, labscapeId);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("4294967296")]
    public void A_labscape_id_past_the_last_labscape_is_not_found_and_names_no_labscape(string raw)
    {
        AssertProblem(RequestChecks.LabscapeId(raw, Topology, out var labscapeId), 404, "labscape-not-found",
            $"labscape {raw} does not exist: ids run from 0 to 2.");
        Assert.Equal(-1, labscapeId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(RequestChecks.MaxVectorLength)]
    public void A_vector_of_finite_values_passes(int length)
    {
        var values = Enumerable.Range(0, length).Select(i => i * -0.5f).ToArray();
        values[0] = float.MaxValue;

        Assert.Null(RequestChecks.Vector(values, "features"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(RequestChecks.MaxVectorLength + 1)]
    public void A_vector_missing_empty_or_too_long_is_invalid(int? length)
    {
        var values = length is { } n ? new float[n] : null;

        AssertProblem(RequestChecks.Vector(values, "target"), 400, "invalid-input",
            "'target' is required: 1…256 numbers, as many as the unit's model takes.");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_vector_holding_a_value_that_is_not_finite_names_its_first_index(float bad)
    {
        AssertProblem(RequestChecks.Vector([1, 2, bad, 4, bad], "features"), 400, "invalid-input", "'features'[2] is not a finite number.");
        AssertProblem(RequestChecks.Vector([bad, 2], "features"), 400, "invalid-input", "'features'[0] is not a finite number.");
    }

    [Fact]
    public void A_learn_without_If_Match_starts_from_any_revision()
    {
        Assert.Null(RequestChecks.IfMatchRevision(Request(), out var revision));
        Assert.Null(revision);
    }

    [Fact]
    public void A_learn_with_If_Match_star_starts_from_any_revision()
    {
        Assert.Null(RequestChecks.IfMatchRevision(Request("*"), out var revision));
        Assert.Null(revision);
    }

    [Theory]
    [InlineData("\"17\"", 17)]
    [InlineData("\"0\"", 0)]
    public void A_learn_with_the_units_ETag_in_If_Match_starts_from_that_revision(string ifMatch, long expected)
    {
        Assert.Null(RequestChecks.IfMatchRevision(Request(ifMatch), out var revision));
        Assert.Equal(expected, revision);
    }

    [Theory]
    [InlineData("W/\"17\"")]
    [InlineData("\"17\", \"18\"")]
    [InlineData("\"seventeen\"")]
    [InlineData("\"-17\"")]
    [InlineData("\"\"")]
    [InlineData("17")]
    public void An_If_Match_that_is_not_one_strong_revision_tag_is_refused(string ifMatch)
    {
        var problem = RequestChecks.IfMatchRevision(Request(ifMatch), out var revision);

        AssertProblem(problem, 400, "invalid-if-match",
            "If-Match takes one strong entity tag, the unit's revision as its ETag gives it (for example \"17\"), or *.");
        Assert.Equal("Invalid If-Match", problem!.ProblemDetails.Title);
        Assert.Null(revision);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(RequestChecks.MaxTimeoutMs)]
    public void A_timeout_within_a_minute_passes_as_that_many_milliseconds(int timeoutMs)
    {
        Assert.Null(RequestChecks.Timeout(timeoutMs, out var timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(timeoutMs), timeout);
    }

    [Fact]
    public void No_timeout_passes_as_none()
    {
        Assert.Null(RequestChecks.Timeout(null, out var timeout));
        Assert.Null(timeout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(RequestChecks.MaxTimeoutMs + 1)]
    public void A_timeout_outside_a_minute_is_invalid(int timeoutMs)
    {
        AssertProblem(RequestChecks.Timeout(timeoutMs, out _), 400, "invalid-input", "'timeoutMs' must lie in 1…60000.");
    }

    private static HttpRequest Request(string? ifMatch = null)
    {
        var context = new DefaultHttpContext();
        if (ifMatch is not null)
        {
            context.Request.Headers.IfMatch = ifMatch;
        }

        return context.Request;
    }

    private static void AssertProblem(ProblemHttpResult? problem, int status, string code, string detail)
    {
        Assert.NotNull(problem);
        Assert.Equal(status, problem.StatusCode);
        Assert.Equal(code, problem.ProblemDetails.Extensions["code"]);
        Assert.Equal($"https://galaxy.dev/problems/{code}", problem.ProblemDetails.Type);
        Assert.Equal(detail, problem.ProblemDetails.Detail);
    }
}
