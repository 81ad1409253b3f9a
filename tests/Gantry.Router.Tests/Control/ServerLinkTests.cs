using Gantry.Router.Contracts.Requests;
using Gantry.Router.Control;
using Gantry.Router.Observability;
using Gantry.Router.Tests.Forwarder;
using Gantry.Router.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Router.Tests.Control;

public sealed class ServerLinkTests
{
    private static readonly RequestReportBatch Empty = new([], 0);

    [Theory]
    [InlineData("http://server:7070", "http://server:7070/api/v1/router/status")]
    [InlineData("http://server:7070/", "http://server:7070/api/v1/router/status")]
    [InlineData("http://server:7070/gantry", "http://server:7070/gantry/api/v1/router/status")]
    public async Task Resolve_BaseWithOrWithoutSlash_PathBelowIt(string server, string expected)
    {
        await using var link = new ServerLink(new Uri(server), null);

        Assert.Equal(expected, link.Resolve("api/v1/router/status").AbsoluteUri);
    }

    [Fact]
    public async Task PostAsync_ServerAccepts_AcceptedWithBearerAndJson()
    {
        string? auth = null, contentType = null;
        await using var server = await TestBackend.StartAsync(ctx =>
        {
            (auth, contentType) = (ctx.Request.Headers.Authorization, ctx.Request.ContentType);
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        await using var link = new ServerLink(new Uri(server.Address), "tok");

        var outcome = await link.PostAsync(link.Resolve("x"), Empty, RequestReportJsonContext.Default.RequestReportBatch,
            TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

        Assert.Equal(LinkOutcome.Accepted, outcome);
        Assert.Equal("Bearer tok", auth);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAsync_ServerRefuses_FailedWithTheStatus()
    {
        await using var server = await TestBackend.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
        await using var link = new ServerLink(new Uri(server.Address), null);

        var outcome = await link.PostAsync(link.Resolve("x"), Empty, RequestReportJsonContext.Default.RequestReportBatch,
            TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

        Assert.Equal(LinkOutcome.Failed("HTTP 401 Unauthorized"), outcome);
    }

    [Fact]
    public async Task PostAsync_ServerUnreachableOrTooSlow_FailedNotThrown()
    {
        await using var closed = new ServerLink(new Uri($"http://127.0.0.1:{ForwardingTests.FreePort()}"), null);
        var refused = await closed.PostAsync(closed.Resolve("x"), Empty, RequestReportJsonContext.Default.RequestReportBatch,
            TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

        await using var slow = await TestBackend.StartAsync(ctx => Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        await using var link = new ServerLink(new Uri(slow.Address), null);
        var timedOut = await link.PostAsync(link.Resolve("x"), Empty, RequestReportJsonContext.Default.RequestReportBatch,
            TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        Assert.False(refused.IsAccepted);
        Assert.False(string.IsNullOrEmpty(refused.Failure));
        Assert.False(timedOut.IsAccepted);
    }

    [Fact]
    public async Task PostAsync_CallerCancels_Throws()
    {
        await using var slow = await TestBackend.StartAsync(ctx => Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        await using var link = new ServerLink(new Uri(slow.Address), null);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => link.PostAsync(link.Resolve("x"), Empty,
            RequestReportJsonContext.Default.RequestReportBatch, TimeSpan.FromSeconds(10), TimeProvider.System, stop.Token));
    }

    [Fact]
    public void OutageLog_FailuresThenSuccess_LogsFirstFailureAndRecoveryOnly()
    {
        var outage = new OutageLog();

        Assert.False(outage.Succeeded());
        Assert.Equal([true, false, false], new[] { outage.Failed(), outage.Failed(), outage.Failed() });
        Assert.True(outage.Failing);
        Assert.Equal([true, false], new[] { outage.Succeeded(), outage.Succeeded() });
        Assert.True(outage.Failed());
    }
}
