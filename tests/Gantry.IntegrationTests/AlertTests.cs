using System.Net;
using System.Text;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;

namespace Gantry.IntegrationTests;

/// <summary>
/// Alerts against a real dockerd and a real webhook receiver: a replica that keeps dying fires crash-loop once, posted to
/// both webhook shapes and listed by `gantry alerts`; removing the app resolves it with one more notice.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private readonly HttpListener _receiver = new();
    private readonly List<(string Path, string Body)> _received = [];
    private GantryServerProcess _server = null!;
    private CliRunner _cli = null!;
    private Task _receiving = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        _receiver.Start();
        _receiving = ReceiveAsync();
        _server = await GantryServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["GANTRY_ALERT_WEBHOOKS"] = $"http://127.0.0.1:{port}/json slack+http://127.0.0.1:{port}/slack/T000/B000/secret",
        });
        _cli = new CliRunner(_server);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _receiver.Close();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Alerts_ReplicaKeepsDying_CrashLoopFiresOnceToEveryWebhookAndResolvesWhenTheAppGoes()
    {
        var app = TestProject.UniqueApp("alert");
        using var project = new TestProject("""
            services:
              worker:
                image: gantry/busybox:1
                command: ["sh", "-c", "echo boom; exit 3"]
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
            """);
        var deploy = await _cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app, "--detach");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        // Another test's notices (a certificate's) go to the same receiver: this one reads its app's only.
        List<string> Mine() => [.. Bodies("/json").Where(b => b.Contains($"\"app\":\"{app}\"", StringComparison.Ordinal))];
        var fired = await EngineProbe.EventuallyAsync(() => Task.FromResult(Mine().Any(b => b.Contains("\"status\":\"firing\"", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));
        Assert.True(fired, "no firing notice\n" + _server.Log);
        var notice = Mine().First();
        Assert.Contains("\"rule\":\"crash-loop\"", notice, StringComparison.Ordinal);
        Assert.Contains($"\"app\":\"{app}\"", notice, StringComparison.Ordinal);
        // Caught between two engine restarts the replica has no exit code: the summary then counts the restarts instead.
        Assert.Matches("code 3|restarted \\d+ time", notice);
        List<string> Slack() => [.. Bodies("/slack/T000/B000/secret").Where(b => b.Contains(app, StringComparison.Ordinal))];
        Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(Slack().Count > 0), TimeSpan.FromSeconds(10)), "no Slack notice");
        Assert.StartsWith("{\"text\":\":rotating_light: [FIRING] crash-loop on " + app + "/worker:", Slack()[0], StringComparison.Ordinal);

        var listed = await _cli.RunAsync(project.Directory, "alerts");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("crash-loop", listed.Output, StringComparison.Ordinal);
        Assert.Contains($"{app}/worker", listed.Output, StringComparison.Ordinal);
        var events = await _cli.RunAsync(project.Directory, "events", app, "--output", "json");
        Assert.Contains(EventReasons.AlertFiring, events.Output, StringComparison.Ordinal);
        // Seen at every pass and status change since, but notified once.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(Mine(), b => b.Contains("\"status\":\"firing\"", StringComparison.Ordinal));
        Assert.DoesNotContain("secret", _server.Log, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.RunAsync(project.Directory, "rm", app)).ExitCode);
        var resolved = await EngineProbe.EventuallyAsync(() => Task.FromResult(Mine().Any(b => b.Contains("\"status\":\"resolved\"", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        Assert.True(resolved, "no resolved notice\n" + _server.Log);
        listed = await _cli.RunAsync(project.Directory, "alerts", "--output", "json");
        Assert.Contains("\"state\": \"resolved\"", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_UserRuleOnCpu_FiresWithTheReplicaAndItsValue()
    {
        // A replica spinning at its 0.1 CPU limit: a rule "cpu above 50% for 10s" of the file's own fires once it has held.
        var app = TestProject.UniqueApp("alert-rule");
        using var project = new TestProject("""
            services:
              spinner:
                image: gantry/busybox:1
                command: ["sh", "-c", "while :; do :; done"]
                deploy:
                  resources:
                    limits: { memory: 16M, cpus: "0.1" }
                x-gantry:
                  alerts:
                    - { metric: cpu, above: 50%, for: 10s, severity: critical, name: spinning }
            """);
        var deploy = await _cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        try
        {
            bool Fired() => Bodies("/json").Any(b => b.Contains("\"rule\":\"spinning\"", StringComparison.Ordinal) && b.Contains("\"status\":\"firing\"", StringComparison.Ordinal));
            Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(Fired()), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1)), "the rule never fired\n" + _server.Log);
            var notice = Bodies("/json").First(b => b.Contains("\"rule\":\"spinning\"", StringComparison.Ordinal));
            Assert.Contains("\"severity\":\"critical\"", notice, StringComparison.Ordinal);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(notice, $"spinner: cpu \\d+(\\.\\d)?% on {app}-spinner-1(-[0-9a-f]+)? is above 50% for 10 s or more"), notice);
            var listed = await _cli.RunAsync(project.Directory, "alerts");
            Assert.Contains("spinning", listed.Output, StringComparison.Ordinal);
        }
        finally
        {
            await _cli.RunAsync(project.Directory, "rm", app);
        }
    }

    [Fact]
    public async Task Alerts_RouterServesACertificateExpiringInFiveDays_WarnsWithItsNameAndResolvesWhenTheRouterStops()
    {
        var certs = Directory.CreateTempSubdirectory("gantry-it-certs-").FullName;
        try
        {
            using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            {
                var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=soon.example.test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
                var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
                san.AddDnsName("soon.example.test");
                request.CertificateExtensions.Add(san.Build());
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-80), DateTimeOffset.UtcNow.AddDays(5));
                File.WriteAllText(Path.Combine(certs, "soon.crt"), certificate.ExportCertificatePem());
                File.WriteAllText(Path.Combine(certs, "soon.key"), key.ExportPkcs8PrivateKeyPem());
            }
            List<string> Mine() => [.. Bodies("/json").Where(b => b.Contains("\"rule\":\"certificate-expiry\"", StringComparison.Ordinal))];

            await using (await Gantry.Router.Hosting.RouterHost.StartAsync(_server.RouterOptions() with
            {
                ExternalHttps = new IPEndPoint(IPAddress.Loopback, 0),
                CertificatesDirectory = certs,
            }))
            {
                Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(Mine().Any(b => b.Contains("\"status\":\"firing\"", StringComparison.Ordinal))),
                    TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)), "no certificate-expiry notice\n" + _server.Log);
                var notice = Mine().First();
                Assert.Contains("\"severity\":\"warning\"", notice, StringComparison.Ordinal);
                Assert.Matches("the certificate for soon\\.example\\.test expires at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(in (4|5) days; served by router ", notice);
                var listed = await _cli.RunAsync(certs, "alerts");
                Assert.Contains("certificate-expiry", listed.Output, StringComparison.Ordinal);
            }

            // The router said it leaves: its certificate is no longer served, so the alert resolves.
            Assert.True(await EngineProbe.EventuallyAsync(() => Task.FromResult(Mine().Any(b => b.Contains("\"status\":\"resolved\"", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)), "no resolved notice\n" + _server.Log);
        }
        finally
        {
            Directory.Delete(certs, recursive: true);
        }
    }

    private List<string> Bodies(string path)
    {
        lock (_received)
        {
            return [.. _received.Where(r => r.Path == path).Select(r => r.Body)];
        }
    }

    private async Task ReceiveAsync()
    {
        while (_receiver.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _receiver.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (_received)
            {
                _received.Add((context.Request.Url!.AbsolutePath, body));
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
