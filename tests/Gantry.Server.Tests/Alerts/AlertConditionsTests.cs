using Gantry.Model;
using Gantry.Model.Status;
using Gantry.Server.Alerts;

namespace Gantry.Server.Tests.Alerts;

public class AlertConditionsTests
{
    private static readonly AlertOptions Options = new();

    private static (AppSpec, AppStatus?) App(params ReplicaStatus[] replicas) => (
        new AppSpec { Name = "shop", Services = [new ServiceSpec { Name = "web", Replicas = 2 }] },
        new AppStatus
        {
            Services = [new ServiceStatus("web") { Desired = 2, Running = replicas.Count(r => r.State == "running"), Healthy = replicas.Count(r => r.State == "running"), Replicas = replicas }],
        });

    private static ReplicaStatus Replica(int slot, string state = "running") => new($"shop-web-{slot}", "web", slot) { State = state };

    [Fact]
    public void Evaluate_HealthyApp_Nothing()
    {
        Assert.Empty(AlertConditions.Evaluate(new AlertInput { Apps = [App(Replica(1), Replica(2))] }, Options));
    }

    [Fact]
    public void Evaluate_CrashLoopingReplica_CriticalWithTheExitAndRestarts()
    {
        var looping = Replica(2, "exited") with { CrashLooping = true, ExitCode = 3, Restarts = 5, Message = "boom" };

        var signals = AlertConditions.Evaluate(new AlertInput { Apps = [App(Replica(1), looping)] }, Options);

        var crash = Assert.Single(signals, s => s.Rule == AlertRules.CrashLoop);
        Assert.Equal(("crash-loop/shop/web", AlertRules.Critical, TimeSpan.Zero), (crash.Key, crash.Severity, crash.For));
        Assert.Equal("web: shop-web-2 is crash-looping (exit code 3, 5 restarts): boom", crash.Summary);
        var below = Assert.Single(signals, s => s.Rule == AlertRules.BelowDesired);
        Assert.Equal(Options.BelowDesiredFor, below.For);
        Assert.Contains("1 of 2 replicas healthy", below.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReplicaBackingOff_CrashLoopFromTheThirdRestart()
    {
        var twice = Replica(2, "backoff") with { ExitCode = 1, Restarts = 2 };
        var thrice = twice with { Restarts = 3 };

        Assert.DoesNotContain(AlertConditions.Evaluate(new AlertInput { Apps = [App(Replica(1), twice)] }, Options), s => s.Rule == AlertRules.CrashLoop);
        Assert.Contains(AlertConditions.Evaluate(new AlertInput { Apps = [App(Replica(1), thrice)] }, Options), s => s.Rule == AlertRules.CrashLoop);
    }

    [Fact]
    public void Evaluate_OomKilledReplica_WarningWithItsLimit()
    {
        var killed = Replica(1) with { OomKilled = true, MemoryLimitBytes = 64L << 20 };

        var oom = Assert.Single(AlertConditions.Evaluate(new AlertInput { Apps = [App(killed, Replica(2))] }, Options));

        Assert.Equal(AlertRules.OomKilled, oom.Rule);
        Assert.Contains("at its 64 MiB limit", oom.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ErrorRateAndLatency_OnlyAboveThresholdsWithEnoughRequests()
    {
        var traffic = new Dictionary<(string, string), ServiceTraffic>
        {
            [("shop", "web")] = new(200, 30, 1500),
            [("shop", "api")] = new(10, 10, 5000),
            [("blog", "web")] = new(200, 5, 200),
        };

        var signals = AlertConditions.Evaluate(new AlertInput { Traffic = traffic }, Options);

        Assert.Equal(["error-rate/shop/web", "latency-p95/shop/web"], signals.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Contains("15% of 200 requests answered 5xx", signals.Single(s => s.Rule == AlertRules.ErrorRate).Summary, StringComparison.Ordinal);
        Assert.Contains("p95 1500 ms", signals.Single(s => s.Rule == AlertRules.LatencyP95).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DiskAboveTheShare_InstallationAlertWithWhatToDo()
    {
        var disk = Assert.Single(AlertConditions.Evaluate(new AlertInput { Disk = (95L << 30, 100L << 30) }, Options));

        Assert.Equal(("disk//", null), (disk.Key, disk.App));
        Assert.Contains("95% full (5 GiB free", disk.Summary, StringComparison.Ordinal);
        Assert.Contains("gantry system prune", disk.Summary, StringComparison.Ordinal);
        Assert.Empty(AlertConditions.Evaluate(new AlertInput { Disk = (50L << 30, 100L << 30) }, Options));
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static ServedCertificate Served(string name, TimeSpan left, params string[] routers) =>
        new(new Gantry.Router.Contracts.Status.CertificateExpiry("AB" + name.Length, [name], Now + left), routers.Length == 0 ? ["r1"] : routers);

    [Fact]
    public void Evaluate_CertificateWithinTheWarning_WarnsWithItsNamesAndDate_ExpiredIsCritical()
    {
        var input = new AlertInput
        {
            Now = Now,
            Certificates = [Served("shop.example.com", TimeSpan.FromDays(5), "r1", "r2"), Served("far.example.com.x", TimeSpan.FromDays(60)), Served("old.example.com", TimeSpan.FromHours(-1))],
        };

        var signals = AlertConditions.Evaluate(input, Options);

        Assert.Equal(2, signals.Count);
        var soon = Assert.Single(signals, s => s.Severity == AlertRules.Warning);
        Assert.Equal(("certificate-expiry///AB16", AlertRules.CertificateExpiry), (soon.Key, soon.Rule));
        Assert.Equal("the certificate for shop.example.com expires at 2026-12-10 12:00 UTC (in 5 days; served by 2 routers): put a renewed one in the router's --certs folder and restart it", soon.Summary);
        var expired = Assert.Single(signals, s => s.Severity == AlertRules.Critical);
        Assert.StartsWith("the certificate for old.example.com expired at 2026-12-05 11:00 UTC; clients are refused by router r1", expired.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void NextCertificateChange_TheWarningStartThenTheExpiry()
    {
        var far = Served("a.example.com", TimeSpan.FromDays(30));
        Assert.Equal(Now + TimeSpan.FromDays(16), AlertController.NextCertificateChange([far], Now, Options.CertificateExpiry));
        var soon = Served("b.example.com", TimeSpan.FromDays(3));
        Assert.Equal(Now + TimeSpan.FromDays(3), AlertController.NextCertificateChange([far, soon], Now, Options.CertificateExpiry));
        Assert.Null(AlertController.NextCertificateChange([Served("c.example.com", TimeSpan.FromDays(-1))], Now, Options.CertificateExpiry));
    }

    [Fact]
    public void Evaluate_NodeDownOrUnknown_CriticalPerNode_DrainedReadyNodeIsNot()
    {
        var input = new AlertInput
        {
            Nodes =
            [
                new NodeCondition("manager-1", "manager", "ready", "active", null),
                new NodeCondition("worker-1", "worker", "ready", "drain", null),
                new NodeCondition("worker-2", "worker", "down", "active", "heartbeat failure"),
            ],
        };

        var down = Assert.Single(AlertConditions.Evaluate(input, Options));

        Assert.Equal(("node-down///worker-2", AlertRules.Critical), (down.Key, down.Severity));
        Assert.StartsWith("node worker-2 (worker) is down (heartbeat failure): the cluster reschedules", down.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseWebhooks_SlackPrefixAndBadUrls()
    {
        var (webhooks, error) = AlertOptions.ParseWebhooks(["https://alerts.example.com/hook", "slack+https://hooks.slack.com/services/T/B/secret"]);

        Assert.Null(error);
        Assert.Equal([AlertFormat.Json, AlertFormat.Slack], webhooks.Select(w => w.Format));
        Assert.Equal("https://hooks.slack.com/...", webhooks[1].Shown);
        var (_, bad) = AlertOptions.ParseWebhooks(["ftp://x/secret-path"]);
        Assert.NotNull(bad);
        Assert.DoesNotContain("secret-path", bad, StringComparison.Ordinal);
    }
}
