using Gantry.Router.Contracts.Requests;
using Gantry.Server.Requests;

namespace Gantry.Server.Tests.Requests;

public sealed class RequestLogTests
{
    private static RequestReport Report(string app, string route, int status = 200) =>
        new() { App = app, Service = "web", RouteId = route, Status = status, Path = "/" + app };

    [Fact]
    public void Forget_AppWithRequests_DropsItsRingAndRouteCountersOnly()
    {
        var log = new RequestLog();
        log.Add([Report("shop", "shop-web-80"), Report("shop", "shop-web-80"), Report("blog", "blog-web-80")]);

        var dropped = log.Forget("shop");

        Assert.True(dropped);
        Assert.False(log.HasApp("shop"));
        Assert.Empty(log.Newest("shop", 10));
        Assert.Null(log.Route("shop-web-80"));
        Assert.True(log.HasApp("blog"));
        Assert.Equal(1, log.Route("blog-web-80")!.Requests);
        Assert.Equal(["blog"], log.Apps);
    }

    [Fact]
    public void Forget_UnknownApp_DropsNothing()
    {
        var log = new RequestLog();
        log.Add([Report("blog", "blog-web-80")]);

        Assert.False(log.Forget("shop"));
        Assert.True(log.HasApp("blog"));
    }
}
