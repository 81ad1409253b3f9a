using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gantry.LoadGen.Tests;

/// <summary>Runs real load for a fraction of a second against an in-process HTTP listener.</summary>
public sealed class LoadRunnerTests : IAsyncLifetime
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _serving = Task.CompletedTask;
    private int _port;

    public Task InitializeAsync()
    {
        _port = FreePort();
        // "+" so the listener answers whatever Host header the load sends (a router routes by it).
        _listener.Prefixes.Add($"http://+:{_port}/");
        _listener.Start();
        _serving = ServeAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        _listener.Close();
        _stop.Dispose();
    }

    [Fact]
    public async Task Start_HealthyServer_RecordsServedRequestsWithMarkerAndPhases()
    {
        var run = LoadRunner.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/ok"),
            Host = "bench.localhost",
            Concurrency = 4,
            MarkerPattern = @"version=(v\d+)",
        });
        await WaitForAsync(run, 20);
        var second = run.Mark("second");
        await WaitForAsync(run, run.Completed + 20);
        await run.StopAsync();

        var report = run.Report();
        Assert.Equal(0, report.Failed);
        Assert.True(report.Served >= 40);
        Assert.All(report.Records, r => Assert.Equal("v7", r.Marker));
        Assert.Contains(report.Records, r => r.Phase == "start");
        Assert.All(report.Records.Where(r => r.Start >= second.Time), r => Assert.Equal("second", r.Phase));
        Assert.Equal(0, report.TimeUntilAllMarked(report.Started, "v7"));
    }

    [Fact]
    public async Task Start_ServerAnswers500_CountsHttpStatusFailures()
    {
        var run = LoadRunner.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{_port}/fail"), Concurrency = 2 });
        await WaitForAsync(run, 5);
        await run.StopAsync();

        var report = run.Report();
        Assert.Equal(report.Total, report.Failed);
        Assert.All(report.Failures, f => Assert.Equal((500, RequestErrorKind.HttpStatus), (f.Status, f.Error)));
        Assert.Contains("HTTP 500", report.Failures[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NothingListening_CountsConnectionRefused()
    {
        var run = LoadRunner.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{FreePort()}/"), Concurrency = 2 });
        await WaitForAsync(run, 3);
        await run.StopAsync();

        var report = run.Report();
        Assert.Equal(0, report.Served);
        Assert.All(report.Records, r => Assert.Equal(RequestErrorKind.ConnectionRefused, r.Error));
    }

    [Fact]
    public async Task Start_AnswerSlowerThanTimeout_CountsTimeouts()
    {
        var run = LoadRunner.Start(new LoadOptions
        {
            Url = new Uri($"http://127.0.0.1:{_port}/slow"),
            Concurrency = 2,
            Timeout = TimeSpan.FromMilliseconds(200),
        });
        await WaitForAsync(run, 2);
        await run.StopAsync();

        var report = run.Report();
        Assert.Equal(0, report.Served);
        Assert.All(report.Records, r => Assert.Equal(RequestErrorKind.Timeout, r.Error));
    }

    [Fact]
    public async Task Report_BeforeStop_Throws()
    {
        var run = LoadRunner.Start(new LoadOptions { Url = new Uri($"http://127.0.0.1:{_port}/ok"), Concurrency = 1 });
        try
        {
            Assert.Throws<InvalidOperationException>(run.Report);
            Assert.True(run.Snapshot().Total >= 0);
        }
        finally
        {
            await run.StopAsync();
        }
    }

    private static async Task WaitForAsync(LoadRun run, int completed)
    {
        for (var i = 0; i < 1000 && run.Completed < completed; i++)
        {
            await Task.Delay(10);
        }
        Assert.True(run.Completed >= completed, $"only {run.Completed} of {completed} requests finished");
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private static void Answer(HttpListenerContext context)
    {
        if (context.Request.Url!.AbsolutePath == "/slow")
        {
            // Far longer than the test's 200 ms timeout, so a timer late on a busy machine still fires first; the listener closes it when the test ends.
            Thread.Sleep(5000);
        }
        var fail = context.Request.Url!.AbsolutePath == "/fail";
        var body = Encoding.UTF8.GetBytes(fail ? "broken" : $"<p>version=v7 host={context.Request.Headers["Host"]}</p>");
        context.Response.StatusCode = fail ? 500 : 200;
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
