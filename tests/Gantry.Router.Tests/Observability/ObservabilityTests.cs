using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gantry.Router.Tests.Support;

namespace Gantry.Router.Tests.Observability;

public sealed class ObservabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-router-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AccessLog_OneJsonLinePerRequest_WithPhasesAndIds()
    {
        var logPath = Path.Combine(_dir, "access.log");
        await using var backend = await TestBackend.StartNamedAsync("b");
        string requestId;
        await using (var router = await TestRouter.StartAsync(Tables.Single(backend.Address), o => o with { AccessLog = logPath }))
        {
            Assert.Equal("200 b", await router.GetStringAsync("app.test", "/first"));
            using var second = await router.GetAsync("app.test", "/second?q=1");
            requestId = second.Headers.GetValues("X-Request-Id").Single();
            using var missing = await router.GetAsync("nowhere.test");
        }

        var lines = await File.ReadAllLinesAsync(logPath);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("external", root.GetProperty("entrypoint").GetString());
        Assert.Equal("app.test", root.GetProperty("host").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/first", root.GetProperty("path").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("app", root.GetProperty("cluster").GetString());
        Assert.Equal("app-0", root.GetProperty("destination").GetString());
        Assert.Equal(1, root.GetProperty("bytesOut").GetInt64());
        Assert.Equal(1, root.GetProperty("attempts").GetInt32());
        Assert.Equal("ok", root.GetProperty("outcome").GetString());
        Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("traceId").GetString());
        var phases = root.GetProperty("phasesUs");
        Assert.Equal(JsonValueKind.Number, phases.GetProperty("connect").ValueKind);
        Assert.True(phases.GetProperty("total").GetInt64() > 0);
        Assert.True(phases.GetProperty("upstreamHeaders").GetInt64() > 0);

        using var secondLine = JsonDocument.Parse(lines[1]);
        Assert.Equal(requestId, secondLine.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("reused", secondLine.RootElement.GetProperty("phasesUs").GetProperty("connect").GetString());
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal("no-route", third.RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Admin_MetricsRoutesRequests_Served()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var router = await TestRouter.StartAsync(Tables.Single(backend.Address, version: 9));
        for (var i = 0; i < 5; i++)
        {
            await router.GetStringAsync("app.test", "/p" + i);
        }

        var metrics = await router.Client.GetStringAsync(router.Admin + "/metrics");
        var routes = await router.Client.GetStringAsync(router.Admin + "/routes");
        var requests = await router.Client.GetStringAsync(router.Admin + "/requests?slowest=3");
        var health = await router.Client.GetStringAsync(router.Admin + "/healthz");
        using var bad = await router.Client.GetAsync(router.Admin + "/requests?slowest=x");

        Assert.Contains("gantry_router_requests_total{route=\"app\",code=\"2xx\"} 5", metrics, StringComparison.Ordinal);
        Assert.Contains("gantry_router_destination_requests_total{cluster=\"app\",destination=\"app-0\",code=\"2xx\"} 5", metrics, StringComparison.Ordinal);
        Assert.Contains("gantry_router_request_duration_seconds_count{route=\"app\"} 5", metrics, StringComparison.Ordinal);
        Assert.Contains("gantry_router_route_table_version 9", metrics, StringComparison.Ordinal);
        Assert.Contains("\"version\":9", routes, StringComparison.Ordinal);
        Assert.Equal(3, JsonDocument.Parse(requests).RootElement.GetArrayLength());
        Assert.Equal("ok\n", health);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await PromtoolAcceptsAsync(metrics);
    }

    /// <summary>Runs `promtool check metrics` (Debian's prometheus package); it must be installed on the test machine.</summary>
    private static async Task PromtoolAcceptsAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new Xunit.Sdk.XunitException("promtool is missing: apt-get install prometheus");
        }

        using (process)
        {
            await process.StandardInput.WriteAsync(metrics);
            process.StandardInput.Close();
            var stdout = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"promtool: {stdout}{stderr}");
        }
    }
}
