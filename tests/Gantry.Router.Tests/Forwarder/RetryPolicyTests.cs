using Gantry.Router.Contracts.Requests;
using Gantry.Router.Forwarder;
using Gantry.Router.Observability;

namespace Gantry.Router.Tests.Forwarder;

public sealed class RetryPolicyTests
{
    private static RequestRecord Attempt(bool reused, bool written = true) => new()
    {
        FirstWriteTs = written ? 10 : 0,
        ConnectTicks = reused ? -1 : 5,
    };

    [Theory]
    [InlineData(ForwarderError.None, RequestOutcome.Ok, 0)]
    [InlineData(ForwarderError.ClientAborted, RequestOutcome.ClientAborted, 0)]
    [InlineData(ForwarderError.ResponseBodyClient, RequestOutcome.ClientAborted, 0)]
    [InlineData(ForwarderError.ClientBadRequest, RequestOutcome.BadRequest, 400)]
    [InlineData(ForwarderError.Timeout, RequestOutcome.Timeout, 504)]
    [InlineData(ForwarderError.ResponseBodyUpstream, RequestOutcome.UpstreamError, 0)]
    [InlineData(ForwarderError.RequestFailed, RequestOutcome.UpstreamError, 502)]
    [InlineData(ForwarderError.ConnectFailed, RequestOutcome.UpstreamError, 502)]
    [InlineData(ForwarderError.PeerLost, RequestOutcome.UpstreamError, 502)]
    public void Conclude_EachError_OutcomeAndTheRoutersOwnStatus(ForwarderError error, RequestOutcome outcome, int status) =>
        Assert.Equal((outcome, status), RetryPolicy.Conclude(error));

    [Fact]
    public void MayTryAnother_ConnectFailure_AnyMethodAnyNumberOfTimes()
    {
        var retried = false;
        Assert.True(RetryPolicy.MayTryAnother(ForwarderError.ConnectFailed, Attempt(reused: false), idempotent: false, ref retried));
        Assert.True(RetryPolicy.MayTryAnother(ForwarderError.ConnectFailed, Attempt(reused: false), idempotent: false, ref retried));
        Assert.False(retried);
    }

    [Fact]
    public void MayTryAnother_FailureOnAKeptConnection_OnceAndOnlyForAnIdempotentMethod()
    {
        var retried = false;
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.RequestFailed, Attempt(reused: true), idempotent: false, ref retried));
        Assert.False(retried);
        Assert.True(RetryPolicy.MayTryAnother(ForwarderError.RequestFailed, Attempt(reused: true), idempotent: true, ref retried));
        Assert.True(retried);
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.RequestFailed, Attempt(reused: true), idempotent: true, ref retried));
    }

    [Fact]
    public void MayTryAnother_PeerLost_OnceForAnIdempotentMethodEvenOnAFreshConnection()
    {
        // The replica's machine stopped acknowledging (its node died): it cannot run the request any more.
        var retried = false;
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.PeerLost, Attempt(reused: false), idempotent: false, ref retried));
        Assert.True(RetryPolicy.MayTryAnother(ForwarderError.PeerLost, Attempt(reused: false), idempotent: true, ref retried));
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.PeerLost, Attempt(reused: false), idempotent: true, ref retried));
        Assert.True(RetryPolicy.Unreachable(ForwarderError.PeerLost));
        Assert.True(RetryPolicy.Unreachable(ForwarderError.ConnectFailed));
        Assert.False(RetryPolicy.Unreachable(ForwarderError.RequestFailed));
    }

    [Fact]
    public void IsPeerLost_TimedOutOrUnreachable_NotAReset()
    {
        Assert.True(RetryPolicy.IsPeerLost(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut)));
        Assert.True(RetryPolicy.IsPeerLost(new IOException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut))));
        Assert.True(RetryPolicy.IsPeerLost(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostUnreachable)));
        Assert.False(RetryPolicy.IsPeerLost(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)));
        Assert.False(RetryPolicy.IsPeerLost(new OperationCanceledException()));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void MayTryAnother_FreshConnectionOrNothingWritten_NotRetried(bool reused, bool written)
    {
        var retried = false;
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.RequestFailed, Attempt(reused, written), idempotent: true, ref retried));
        Assert.False(RetryPolicy.MayTryAnother(ForwarderError.Timeout, Attempt(reused: true), idempotent: true, ref retried));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    [InlineData("get", false)]
    public void IsIdempotent_MethodsAreCaseSensitive(string method, bool idempotent) =>
        Assert.Equal(idempotent, RetryPolicy.IsIdempotent(method));

    [Theory]
    [InlineData(ForwarderError.None, 200, false)]
    [InlineData(ForwarderError.None, 503, true)]
    [InlineData(ForwarderError.ClientAborted, 0, false)]
    [InlineData(ForwarderError.Timeout, 0, true)]
    [InlineData(ForwarderError.PeerLost, 0, true)]
    public void UpstreamFailed_ErrorsAnd5xxCountAgainstTheDestination(ForwarderError error, int status, bool failed) =>
        Assert.Equal(failed, RetryPolicy.UpstreamFailed(error, status));
}
