using Gantry.Model;

namespace Gantry.Compose.Tests.Merge;

public sealed class MergeTests
{
    [Fact]
    public void Load_TwoFiles_MergeBySpecRules()
    {
        using var project = new TempProject();
        project.Write("compose.yaml", """
            services:
              web:
                image: nginx:1
                command: ["nginx", "-g", "daemon off;"]
                environment:
                  - A=1
                  - B=2
                labels: {tier: web}
                ports: ["8080:80", "443:443"]
                volumes: ["./a:/data", "./logs:/logs"]
                expose: ["80"]
                secrets: [s1]
                depends_on: [db]
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 10s
              db:
                image: postgres
            secrets:
              s1: {file: ./s1}
            """);
        project.Write("compose.override.yaml", """
            services:
              web:
                image: nginx:2
                command: nginx-debug
                environment:
                  B: "20"
                  C: "3"
                labels: ["owner=me"]
                ports: ["8080:80", "9000:9000"]
                volumes: ["./b:/data"]
                expose: ["80", "81"]
                secrets:
                  - source: s1
                    target: /run/secrets/s1
                depends_on:
                  db:
                    condition: service_healthy
                healthcheck:
                  test: ["CMD-SHELL", "exit 0"]
            """);
        var result = project.Load(["compose.yaml", "compose.override.yaml"]);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var web = result.App!.FindService("web")!;
        Assert.Equal("nginx:2", web.Image);
        Assert.Equal(["nginx-debug"], web.Command);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "20", ["C"] = "3" }, web.Environment);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "me", ["tier"] = "web" }, web.Labels);
        Assert.Equal([new PortSpec(80, "8080"), new PortSpec(443, "443"), new PortSpec(9000, "9000")], web.Ports);
        Assert.Equal([Path.Combine(project.Dir, "b"), Path.Combine(project.Dir, "logs")], web.Volumes.Select(v => v.Source));
        Assert.Equal(["80", "81"], web.Expose);
        Assert.Single(web.Secrets);
        Assert.Equal([new DependencySpec("db", DependencyCondition.Healthy)], web.DependsOn);
        Assert.Equal(["CMD-SHELL", "exit 0"], web.HealthCheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), web.HealthCheck.Interval);
    }

    [Fact]
    public void Load_OverrideWithResetAndOverrideTags_RemovesOrReplaces()
    {
        using var project = new TempProject();
        project.Write("a.yaml", "services:\n  web:\n    image: a\n    ports: [\"80:80\"]\n    environment: {A: \"1\", B: \"2\"}\n");
        project.Write("b.yaml", "services:\n  web:\n    ports: !reset []\n    environment: !override {C: \"3\"}\n");
        var web = project.Load(["a.yaml", "b.yaml"]).App!.Services[0];
        Assert.Empty(web.Ports);
        Assert.Equal(new Dictionary<string, string?> { ["C"] = "3" }, web.Environment);
    }

    [Fact]
    public void Load_DiagnosticsAfterMerge_PointAtTheFileThatWroteTheValue()
    {
        using var project = new TempProject();
        project.Write("a.yaml", "services:\n  web:\n    image: a\n");
        project.Write("b.yaml", "services:\n  web:\n    ports: [\"70000:80\"]\n");
        var error = TestLoad.SingleError(project.Load(["a.yaml", "b.yaml"]));
        Assert.Equal((Path.Combine(project.Dir, "b.yaml"), 3, 13), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void Load_AnchorsAliasesAndMergeKeys_Resolve()
    {
        var app = TestLoad.App("""
            x-common: &common
              image: busybox
              environment:
                SHARED: "yes"
              restart: always
            x-limits: &limits
              mem_limit: 256m
              restart: "no"
            services:
              a:
                <<: [*common, *limits]
                command: ["a"]
              b:
                <<: *common
                restart: on-failure
                environment: *env
            """.Replace("environment:\n    SHARED", "environment: &env\n    SHARED", StringComparison.Ordinal));
        var a = app.FindService("a")!;
        Assert.Equal(("busybox", RestartCondition.Any, 256L << 20), (a.Image, a.Restart.Condition, a.Resources.MemoryLimitBytes!.Value));
        var b = app.FindService("b")!;
        Assert.Equal((RestartCondition.OnFailure, "yes"), (b.Restart.Condition, b.Environment["SHARED"]));
    }

    [Fact]
    public void Load_UnknownAlias_IsAYamlError()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web: *missing\n"));
        Assert.Contains("unknown anchor", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }
}
