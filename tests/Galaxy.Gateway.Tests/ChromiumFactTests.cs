namespace Galaxy.Gateway.Tests;

/// <summary>A browser test never skips quietly under CI: there a missing browser makes it run, and fail.</summary>
public sealed class ChromiumFactTests
{
    [Fact]
    public void Under_ci_a_missing_browser_runs_the_test_instead_of_skipping_it() =>
        Assert.Null(ChromiumFactAttribute.SkipReason(underCi: true, unavailable: "Chromium is not installed"));

    [Fact]
    public void Elsewhere_a_missing_browser_skips_the_test_saying_why() =>
        Assert.Equal("Chromium is not installed", ChromiumFactAttribute.SkipReason(underCi: false, unavailable: "Chromium is not installed"));

    [Fact]
    public void With_a_browser_nothing_is_skipped() =>
        Assert.Null(ChromiumFactAttribute.SkipReason(underCi: false, unavailable: null));
}
