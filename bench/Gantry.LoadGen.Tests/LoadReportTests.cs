namespace Gantry.LoadGen.Tests;

public sealed class LoadReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static RequestRecord Ok(double atSeconds, double latencyMs = 1, string? marker = null, string phase = "steady") =>
        new(T0.AddSeconds(atSeconds), TimeSpan.FromMilliseconds(latencyMs), 200, RequestErrorKind.None, marker, phase);

    private static RequestRecord Fail(double atSeconds, RequestErrorKind kind = RequestErrorKind.HttpStatus, int status = 502, string phase = "steady") =>
        new(T0.AddSeconds(atSeconds), TimeSpan.FromMilliseconds(5), status, kind, null, phase, "boom");

    private static LoadReport Report(params RequestRecord[] records) => new(records, [], T0, T0.AddSeconds(10));

    [Fact]
    public void Counts_MixedRecords_SplitsServedAndFailed()
    {
        var report = Report(Ok(1), Fail(2), Ok(3), Fail(4, RequestErrorKind.ConnectionReset, 0));

        Assert.Equal(4, report.Total);
        Assert.Equal(2, report.Served);
        Assert.Equal(2, report.Failed);
        Assert.Equal(0.4, report.RequestsPerSecond, 6);
        Assert.Equal(1, report.FailuresByKind()[RequestErrorKind.ConnectionReset]);
    }

    [Fact]
    public void Records_GivenOutOfOrder_AreSortedByStart()
    {
        var report = Report(Ok(3), Ok(1), Ok(2));

        Assert.Equal([1.0, 2.0, 3.0], report.Records.Select(r => (r.Start - T0).TotalSeconds));
    }

    [Fact]
    public void Failures_ManyFailures_KeepsFirstTwentyByStartTime()
    {
        var records = Enumerable.Range(0, 30).Select(i => Fail(30 - i)).ToArray();

        var report = Report(records);

        Assert.Equal(LoadReport.FailureSampleSize, report.Failures.Count);
        Assert.Equal(1, (report.Failures[0].Start - T0).TotalSeconds);
        Assert.Equal(20, (report.Failures[^1].Start - T0).TotalSeconds);
    }

    [Fact]
    public void Percentile_HundredLatencies_ReturnsNearestRank()
    {
        var records = Enumerable.Range(1, 100).Select(i => Ok(i, latencyMs: i)).Reverse().ToArray();

        var report = Report(records);

        Assert.Equal(TimeSpan.FromMilliseconds(50), report.Percentile(0.50));
        Assert.Equal(TimeSpan.FromMilliseconds(99), report.Percentile(0.99));
        Assert.Equal(TimeSpan.FromMilliseconds(100), report.Percentile(1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(1), report.Percentile(0.0));
    }

    [Fact]
    public void Percentile_PhaseFilter_UsesOnlyThatPhase()
    {
        var report = Report(Ok(1, 10, phase: "steady"), Ok(2, 20, phase: "steady"), Ok(3, 900, phase: "deploy 1"), Ok(4, 800, phase: "deploy 2"));

        Assert.Equal(TimeSpan.FromMilliseconds(20), report.Percentile(p => p == "steady", 0.99));
        Assert.Equal(TimeSpan.FromMilliseconds(900), report.Percentile(p => p.StartsWith("deploy", StringComparison.Ordinal), 0.99));
        Assert.Equal(2, report.Count(p => p.StartsWith("deploy", StringComparison.Ordinal)));
    }

    [Fact]
    public void Percentile_FailuresIncluded_CountTheirLatency()
    {
        var slowFailure = new RequestRecord(T0, TimeSpan.FromSeconds(10), 0, RequestErrorKind.Timeout, null, "steady");

        var report = Report(Ok(1, 1), slowFailure);

        Assert.Equal(TimeSpan.FromSeconds(10), report.Percentile(0.99));
    }

    [Fact]
    public void Percentile_NoRecordsInPhase_ReturnsNull()
    {
        var report = Report(Ok(1));

        Assert.Null(report.Percentile(p => p == "nothing", 0.99));
    }

    [Fact]
    public void Percentile_QuantileOutOfRange_Throws()
    {
        var report = Report(Ok(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => report.Percentile(1.5));
    }

    [Fact]
    public void MarkerCounts_SuccessesWithMarkers_CountsPerValue()
    {
        var report = Report(Ok(1, marker: "v1"), Ok(2, marker: "v2"), Ok(3, marker: "v2"), Ok(4), Fail(5));

        var counts = report.MarkerCounts();

        Assert.Equal(2, counts.Count);
        Assert.Equal(1, counts["v1"]);
        Assert.Equal(2, counts["v2"]);
    }

    [Fact]
    public void TimeUntilAllMarked_SwitchAfterFrom_ReturnsStartOfLastUnmarkedRequest()
    {
        var report = Report(Ok(0.5, marker: "v2"), Ok(1.0, marker: "v2"), Ok(1.2, marker: "v1"), Ok(1.3, marker: "v2"), Ok(1.4, marker: "v1"), Ok(1.6, marker: "v1"));

        var seconds = report.TimeUntilAllMarked(T0.AddSeconds(1), "v1");

        Assert.NotNull(seconds);
        Assert.Equal(0.3, seconds.Value, 6);
    }

    [Fact]
    public void TimeUntilAllMarked_AlreadyAllMarked_ReturnsZero()
    {
        var report = Report(Ok(0.5, marker: "v2"), Ok(1.1, marker: "v1"), Ok(1.2, marker: "v1"));

        Assert.Equal(0, report.TimeUntilAllMarked(T0.AddSeconds(1), "v1"));
    }

    [Fact]
    public void TimeUntilAllMarked_LastRequestUnmarked_ReturnsNull()
    {
        var report = Report(Ok(1.1, marker: "v1"), Ok(1.2, marker: "v2"));

        Assert.Null(report.TimeUntilAllMarked(T0.AddSeconds(1), "v1"));
    }

    [Fact]
    public void TimeUntilAllMarked_NoRequestInWindow_ReturnsNull()
    {
        var report = Report(Ok(0.5, marker: "v1"));

        Assert.Null(report.TimeUntilAllMarked(T0.AddSeconds(1), "v1"));
    }

    [Fact]
    public void TimeUntilAllMarked_FailureWithMarkerAfterSwitch_CountsAsUnmarked()
    {
        var failedButMarked = new RequestRecord(T0.AddSeconds(1.5), TimeSpan.FromMilliseconds(1), 500, RequestErrorKind.HttpStatus, "v1", "x");

        var report = Report(Ok(1.1, marker: "v1"), failedButMarked, Ok(1.7, marker: "v1"));

        Assert.Equal(0.5, report.TimeUntilAllMarked(T0.AddSeconds(1), "v1")!.Value, 6);
    }

    [Fact]
    public void TimeUntilAllMarked_UntilGiven_IgnoresLaterRequests()
    {
        var report = Report(Ok(1.1, marker: "v2"), Ok(1.4, marker: "v1"), Ok(1.8, marker: "v1"), Ok(2.5, marker: "v2"));

        var seconds = report.TimeUntilAllMarked(T0.AddSeconds(1), "v1", until: T0.AddSeconds(2));

        Assert.Equal(0.1, seconds!.Value, 6);
        Assert.Null(report.TimeUntilAllMarked(T0.AddSeconds(1), "v1"));
    }
}
