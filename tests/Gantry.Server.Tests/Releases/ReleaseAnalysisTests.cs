using Gantry.Model.Releases;
using Gantry.Router.Contracts.Requests;
using Gantry.Server.Releases;

namespace Gantry.Server.Tests.Releases;

public sealed class ReleaseAnalysisTests
{
    private static readonly AutoRollbackPolicy Policy = new(); // 5 points, 2x and 50 ms, 20 requests

    private static RequestReport Ok(double ms = 10) => new() { Status = 200, Outcome = RequestOutcome.Ok, TotalMicroseconds = (long)(ms * 1000) };

    private static RequestReport Failed(int status = 500, RequestOutcome outcome = RequestOutcome.Ok) =>
        new() { Status = status, Outcome = outcome, TotalMicroseconds = 10_000 };

    private static List<RequestReport> Mix(int ok, int failed, double ms = 10, Func<RequestReport>? failure = null) =>
        [.. Enumerable.Range(0, ok).Select(_ => Ok(ms)), .. Enumerable.Range(0, failed).Select(_ => (failure ?? (() => Failed()))())];

    [Fact]
    public void Judge_FewerRequestsThanMinimum_NoVerdictEvenWhenAllFail()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(0, Policy.MinRequests - 1), Mix(100, 0), Policy);

        Assert.False(verdict.Regressed);
        Assert.Equal(Policy.MinRequests - 1, verdict.Requests);
        Assert.Contains("deciding from 20", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ErrorRateAboveMargin_Regressed()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(15, 5), Mix(100, 0), Policy);

        Assert.True(verdict.Regressed);
        Assert.Equal(20, verdict.Requests);
        Assert.Contains("error rate", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_ErrorRateIncreaseWithinMargin_Healthy()
    {
        // 1 of 40 = 2.5 points more than a clean release: under the 5-point margin.
        var verdict = ReleaseAnalysis.Judge(Mix(39, 1), Mix(100, 0), Policy);

        Assert.False(verdict.Regressed);
        Assert.StartsWith("healthy", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_HighErrorRateAlsoBefore_Healthy()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(10, 10), Mix(50, 50), Policy);

        Assert.False(verdict.Regressed);
    }

    [Fact]
    public void Judge_NoTrafficBefore_ErrorsComparedAgainstZero()
    {
        Assert.True(ReleaseAnalysis.Judge(Mix(18, 2), [], Policy).Regressed);
        Assert.False(ReleaseAnalysis.Judge(Mix(20, 0, ms: 900), [], Policy).Regressed);
    }

    [Fact]
    public void Judge_LatencyAboveRatioAndFiftyMsSlower_Regressed()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(20, 0, ms: 300), Mix(20, 0, ms: 100), Policy);

        Assert.True(verdict.Regressed);
        Assert.Contains("p95 latency was 300 ms against 100 ms", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_LatencyAboveRatioButUnderFiftyMsSlower_Healthy()
    {
        // Four times slower, but only 30 ms: noise.
        var verdict = ReleaseAnalysis.Judge(Mix(20, 0, ms: 40), Mix(20, 0, ms: 10), Policy);

        Assert.False(verdict.Regressed);
    }

    [Fact]
    public void Judge_LatencyMuchSlowerButUnderRatio_Healthy()
    {
        // 150 ms slower, but only 1.75 times.
        var verdict = ReleaseAnalysis.Judge(Mix(20, 0, ms: 350), Mix(20, 0, ms: 200), Policy);

        Assert.False(verdict.Regressed);
    }

    [Fact]
    public void Judge_TooFewRequestsBefore_LatencyNotCompared()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(20, 0, ms: 1000), Mix(Policy.MinRequests - 1, 0, ms: 10), Policy);

        Assert.False(verdict.Regressed);
    }

    [Fact]
    public void Judge_NoDestinationAnswers_CountAsFailures()
    {
        var verdict = ReleaseAnalysis.Judge(Mix(10, 10, failure: () => Failed(503, RequestOutcome.NoDestination)), Mix(100, 0), Policy);

        Assert.True(verdict.Regressed);
    }

    [Fact]
    public void Judge_ClientAbortedAndNoRoute_NotFailures()
    {
        var fresh = Mix(10, 0)
            .Concat(Enumerable.Range(0, 5).Select(_ => Failed(502, RequestOutcome.ClientAborted)))
            .Concat(Enumerable.Range(0, 5).Select(_ => Failed(404, RequestOutcome.NoRoute)))
            .ToList();

        var verdict = ReleaseAnalysis.Judge(fresh, Mix(100, 0), Policy);

        Assert.False(verdict.Regressed);
    }

    [Theory]
    [InlineData(200, RequestOutcome.Ok, false)]
    [InlineData(404, RequestOutcome.Ok, false)]
    [InlineData(500, RequestOutcome.Ok, true)]
    [InlineData(502, RequestOutcome.UpstreamError, true)]
    [InlineData(504, RequestOutcome.Timeout, true)]
    [InlineData(503, RequestOutcome.NoDestination, true)]
    [InlineData(502, RequestOutcome.ClientAborted, false)]
    [InlineData(404, RequestOutcome.NoRoute, false)]
    public void IsFailure_StatusAndOutcome_BlamesOnlyTheRelease(int status, RequestOutcome outcome, bool expected)
    {
        Assert.Equal(expected, ReleaseAnalysis.IsFailure(new RequestReport { Status = status, Outcome = outcome }));
    }

    [Fact]
    public void Judge_NoRequestsYetEvenWithZeroMinimum_NoVerdict()
    {
        var verdict = ReleaseAnalysis.Judge([], Mix(100, 0), Policy with { MinRequests = 0 });

        Assert.False(verdict.Regressed);
    }

    [Fact]
    public void Judge_OnlyTheTailSlower_NoVerdict()
    {
        // A busy node: the new release's slowest 10% took 600 ms, its median is what it was.
        var fresh = Enumerable.Range(0, 90).Select(_ => Ok(100)).Concat(Enumerable.Range(0, 10).Select(_ => Ok(600))).ToList();
        var before = Enumerable.Range(0, 100).Select(_ => Ok(100)).ToList();

        Assert.False(ReleaseAnalysis.Judge(fresh, before, Policy).Regressed);
        Assert.True(ReleaseAnalysis.Judge(fresh.Select(r => r with { TotalMicroseconds = r.TotalMicroseconds * 3 }).ToList(), before, Policy).Regressed);
    }
}
