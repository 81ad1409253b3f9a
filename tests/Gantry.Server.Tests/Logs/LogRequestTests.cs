using Gantry.Server.Logs;

namespace Gantry.Server.Tests.Logs;

public sealed class LogRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_DurationsAndTimes_AgainstTheServersClock()
    {
        var (request, error) = LogRequest.Parse("3", "1h", "2026-12-05T11:30:00Z", "failed", null, Now);

        Assert.Null(error);
        Assert.Equal(3, request!.Release);
        Assert.Equal(Now.AddHours(-1), request.Since);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 11, 30, 0, TimeSpan.Zero), request.Until);
        Assert.True(request.IsHistory);
    }

    [Theory]
    [InlineData("0", null, null, null, "release=0")]
    [InlineData(null, "yesterday", null, null, "since=yesterday")]
    [InlineData(null, "1h", "2h", null, "until=2h is not after since=1h")]
    [InlineData(null, null, null, "x", "tail=x")]
    public void Parse_Bad_ErrorNamesParameterAndValue(string? release, string? since, string? until, string? tail, string expected)
    {
        var (request, error) = LogRequest.Parse(release, since, until, null, tail, Now);

        Assert.Null(request);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToQuery_Default_CurrentReplicasAndTheirLast100()
    {
        var current = new HashSet<string> { "shop-web-1-abc" };
        var query = new LogRequest(null, null, null, null, null).ToQuery("web", current, null);

        Assert.Same(current, query.Replicas);
        Assert.Equal(LogRequest.DefaultTail, query.TailPerReplica);
    }

    [Fact]
    public void ToQuery_History_EveryReplicaButNotThoseOfAnEarlierAppOfTheSameName()
    {
        var created = Now.AddDays(-1);
        var query = new LogRequest(2, Now.AddDays(-3), null, null, null).ToQuery(null, new HashSet<string>(), created);

        Assert.Null(query.Replicas);
        Assert.Null(query.TailPerReplica);
        Assert.Equal(created, query.Since);
    }
}
