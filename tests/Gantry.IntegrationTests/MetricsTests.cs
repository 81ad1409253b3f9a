using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;

namespace Gantry.IntegrationTests;

/// <summary>The metrics sampler against a real dockerd: a deployed replica's CPU and memory reach the history and the API.</summary>
public sealed class MetricsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Metrics_DeployedReplica_CpuAndMemoryPointsWithinThreePasses()
    {
        var app = TestProject.UniqueApp("metrics");
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
                init: true
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
            """);
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.Token);
            AppMetricsView? view = null;
            // The first pass reads the counters, the second has CPU (two reads); passes are 10 s apart.
            var sampled = await EngineProbe.EventuallyAsync(async () =>
            {
                view = await http.GetFromJsonAsync($"/api/v1/apps/{app}/metrics?since=5m&step=10s", ApiJsonContext.Default.AppMetricsView);
                return Has(view!, MetricNames.Cpu) && Has(view!, MetricNames.Memory);
            }, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(2));

            Assert.True(sampled, $"no CPU and memory points for {app}: {string.Join(", ", view?.Series.Select(s => s.Name) ?? [])}");
            var memory = view!.Series.First(s => s.Name == MetricNames.MemoryBytes);
            Assert.Equal("web", memory.Labels["service"]);
            Assert.StartsWith($"{app}-web-", memory.Labels["replica"], StringComparison.Ordinal);
            // busybox httpd at rest: some memory, well under its 16M limit; CPU a small fraction of its 0.1 core.
            Assert.InRange(memory.Points[^1].Value, 1, 16 << 20);
            Assert.InRange(view.Series.First(s => s.Name == MetricNames.Cpu).Points[^1].Value, 0, 1);

            var shown = await fixture.Cli.RunAsync(project.Directory, "metrics", app, "web", "--since", "5m");
            Assert.True(shown.ExitCode == 0, shown.ToString());
            Assert.Contains("memory_bytes", shown.Output, StringComparison.Ordinal);

            // The same figures for Prometheus, in a format its own checker accepts.
            var exposition = await http.GetStringAsync("/metrics");
            Assert.Matches($"gantry_replica_memory_bytes\\{{app=\"{app}\",service=\"web\",replica=\"{app}-web-[^\"]+\"\\}} \\d", exposition);
            Assert.Contains("# TYPE gantry_replica_cpu_ratio gauge", exposition, StringComparison.Ordinal);
            var check = await PromtoolAsync(exposition);
            Assert.True(check.Code == 0, $"promtool check metrics failed: {check.Output}\n{exposition}");
            using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        }
        finally
        {
            await fixture.Cli.RunAsync(project.Directory, "rm", app);
        }
    }

    /// <summary>`promtool check metrics` on the text (Debian's prometheus package, installed by the prerequisites).</summary>
    private static async Task<(int Code, string Output)> PromtoolAsync(string exposition)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static bool Has(AppMetricsView view, string metric) =>
        view.Series.Any(s => s.Name == metric && s.Labels.ContainsKey("replica") && s.Points.Count > 0);
}
