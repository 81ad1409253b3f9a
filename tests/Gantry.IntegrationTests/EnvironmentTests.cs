using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 13's environments slice through the real server, stock git and a real dockerd (docs/decisions/0024): a push of main
/// deploys to staging with staging's variables and secrets; promote runs exactly staging's image in production with
/// production's own; a secret's value is never in the API, the events, the server's log, the image or the store's file;
/// a rollback by commit mounts the secret version its release recorded.
/// </summary>
public sealed class EnvironmentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Compose = """
        services:
          web:
            build: .
            command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            stop_grace_period: 1s
            environment:
              GREETING: ${GREETING:-none}
            secrets: [api_key]
            deploy:
              update_config:
                order: stop-first
              resources:
                limits:
                  memory: 32M
        secrets:
          api_key:
            external: true
        """;

    private const string Dockerfile = "FROM gantry/busybox:1\nCOPY index.html /www/index.html\n";

    [Fact]
    public async Task PushPromoteRollback_EnvironmentsKeepTheirOwnSettings_SecretsNeverShown()
    {
        var app = TestProject.UniqueApp("env");
        var staging = app + "-staging";
        var cli = fixture.Cli;
        var stagingV1 = "stg-" + Guid.NewGuid().ToString("N");
        var stagingV2 = "stg2-" + Guid.NewGuid().ToString("N");
        var production = "prd-" + Guid.NewGuid().ToString("N");
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", Compose), ("Dockerfile", Dockerfile), ("index.html", "v1\n"));
        var first = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();

        await Ok(cli.RunAsync(tree.Directory, "vars", "set", app, "--env", "staging", "GREETING=hello-staging"));
        await Ok(cli.RunAsync(tree.Directory, "vars", "set", app, "--env", "production", "GREETING=hello-production"));
        var set = await Ok(cli.RunWithInputAsync(stagingV1 + "\n", tree.Directory, "secrets", "set", app, "--env", "staging", "api_key"));
        Assert.Contains("secret api_key is now v1", set.Output);
        await Ok(cli.RunWithInputAsync(production, tree.Directory, "secrets", "set", app, "--env", "production", "api_key"));

        // git push of main deploys to staging (the server's default push environment), as its own app.
        var remote = $"http://x:{Uri.EscapeDataString(fixture.Server.Token)}@127.0.0.1:{fixture.Server.Port}/git/{app}.git";
        var push = await tree.RunAsync("push", remote, "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: {staging} runs release 1 ({first[..12]})", push.Error);
        var stagingWeb = await WebAsync(staging);
        Assert.Equal(stagingV1, await ExecAsync(stagingWeb, "cat", "/run/secrets/api_key"));
        Assert.Equal("hello-staging", await ExecAsync(stagingWeb, "sh", "-c", "echo $GREETING"));

        // Promotion: production runs the very image staging runs, with production's variables and secret.
        await Ok(cli.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "promote", app, "--from", "staging", "--to", "production"));
        var productionWeb = await WebAsync(app);
        Assert.Equal(await ImageOfAsync(stagingWeb), await ImageOfAsync(productionWeb));
        Assert.Equal(production, await ExecAsync(productionWeb, "cat", "/run/secrets/api_key"));
        Assert.Equal("hello-production", await ExecAsync(productionWeb, "sh", "-c", "echo $GREETING"));
        var envs = await Ok(cli.RunAsync(tree.Directory, "env", app));
        Assert.Matches($@"staging\s+{staging}\s+Running\s+1\s+{first[..12]}\s+1\s+1", envs.Output);
        Assert.Matches($@"production\s+{app}\s+Running\s+1\s+{first[..12]}\s+1\s+1", envs.Output);

        // A new secret version and a second push; then a rollback by commit mounts the version release 1 recorded.
        await Ok(cli.RunWithInputAsync(stagingV2, tree.Directory, "secrets", "set", app, "--env", "staging", "api_key"));
        var second = await tree.CommitAsync("second", ("index.html", "v2\n"));
        var again = await tree.RunAsync("push", remote, "main");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(stagingV2, await ExecAsync(await WebAsync(staging), "cat", "/run/secrets/api_key"));
        var listed = await Ok(cli.RunAsync(tree.Directory, "secrets", app, "--env", "staging"));
        Assert.Matches(@"api_key\s+v2", listed.Output);
        await Ok(cli.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "rollback", app, "--env", "staging", "--to", first[..8]));
        Assert.Equal(stagingV1, await ExecAsync(await WebAsync(staging), "cat", "/run/secrets/api_key"));
        Assert.Equal(second, (await GetAsync($"/api/v1/apps/{staging}/releases/2")).GetProperty("commit").GetString());
        Assert.Equal(2, (await GetAsync($"/api/v1/apps/{staging}/releases/2")).GetProperty("secretVersions").GetProperty("api_key").GetInt64());
        Assert.Equal(1, (await GetAsync($"/api/v1/apps/{staging}/releases/3")).GetProperty("secretVersions").GetProperty("api_key").GetInt64());

        // Never shown: every API view, the events, the server's log, the image; sealed in the store's file; the key file is 0600.
        var seen = new List<string>
        {
            envs.Output, listed.Output,
            await RawAsync($"/api/v1/apps/{app}/environments"),
        };
        foreach (var instance in new[] { app, staging })
        {
            seen.Add(await RawAsync($"/api/v1/apps/{instance}"));
            seen.Add(await RawAsync($"/api/v1/apps/{instance}/releases"));
            seen.Add(await RawAsync($"/api/v1/apps/{instance}/releases/1"));
            seen.Add(await RawAsync($"/api/v1/apps/{instance}/events"));
        }
        seen.Add(fixture.Server.Log);
        using (var docker = new DockerCli())
        {
            var image = await ImageOfAsync(productionWeb);
            seen.Add((await docker.RunAsync(null, "image", "inspect", image)).Output);
            seen.Add((await docker.RunAsync(null, "history", "--no-trunc", image)).Output);
        }
        foreach (var file in new[] { "gantry.db", "gantry.db-wal" }.Select(f => Path.Combine(fixture.Server.DataDirectory, f)).Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            seen.Add(await reader.ReadToEndAsync());
        }
        foreach (var text in seen)
        {
            Assert.DoesNotContain(stagingV1, text);
            Assert.DoesNotContain(stagingV2, text);
            Assert.DoesNotContain(production, text);
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fixture.Server.DataDirectory, "secrets.key")));
        }
    }

    [Fact]
    public async Task Gates_ApprovalWaitsForPromote_AutoPromotesOnceLive_RollbackNotCarriedOn_PipelinesShowEachCommit()
    {
        var app = TestProject.UniqueApp("gate");
        var staging = app + "-staging";
        var cli = fixture.Cli;
        const string compose = """
            services:
              web:
                build: .
                command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
                stop_grace_period: 1s
                deploy:
                  update_config:
                    order: stop-first
                  resources:
                    limits:
                      memory: 32M
            """;
        using var tree = await GitWorkTree.InitAsync(("compose.yaml", compose), ("Dockerfile", Dockerfile), ("index.html", "v1\n"));
        var first = (await tree.RunAsync("rev-parse", "HEAD")).Output.Trim();
        var remote = $"http://x:{Uri.EscapeDataString(fixture.Server.Token)}@127.0.0.1:{fixture.Server.Port}/git/{app}.git";

        // Approval: the push deploys staging and says how to approve; production gets nothing until someone does.
        var approval = await Ok(cli.RunAsync(tree.Directory, "pipelines", "gate", app, "--env", "staging", "--to", "production", "--mode", "approval"));
        Assert.Contains($"staging of {app}: each release that goes live waits for approval to production", approval.Output);
        var push = await tree.RunAsync("push", remote, "main");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"remote: gantry: staging's gate holds it for production: approve with 'gantry promote {app} --from staging --to production'", push.Error);
        var waiting = await Ok(cli.RunAsync(tree.Directory, "pipelines", app));
        Assert.Matches($@"{first[..12]}\s+main\s+Tess Tester\s+#1 succeeded\s+r1 live\s+awaiting approval", waiting.Output);
        Assert.Contains($"approve {first[..12]} for production: gantry promote {app} --from staging --to production", waiting.Output);
        await Ok(cli.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "promote", app, "--from", "staging", "--to", "production"));
        Assert.Matches($@"{first[..12]}\s+main\s+Tess Tester\s+#1 succeeded\s+r1 live\s+r1 live", (await Ok(cli.RunAsync(tree.Directory, "pipelines", app))).Output);

        // Auto: the next push promotes itself once staging runs it, on the push's output, with staging's very image.
        await Ok(cli.RunAsync(tree.Directory, "pipelines", "gate", app, "--to", "production", "--mode", "auto"));
        var second = await tree.CommitAsync("second", ("index.html", "v2\n"));
        var again = await tree.RunAsync("push", remote, "main");
        Assert.True(again.ExitCode == 0, again.ToString() + fixture.Server.Log[^Math.Min(6000, fixture.Server.Log.Length)..]);
        Assert.Contains("remote: gantry: staging's gate promotes release 2 to production", again.Error);
        Assert.True(again.Error.Contains($"remote: gantry: {app} runs release 2 (promoted from staging)", StringComparison.Ordinal), again.ToString());
        Assert.Equal(await ImageOfAsync(await WebAsync(staging)), await ImageOfAsync(await WebAsync(app)));
        var both = await Ok(cli.RunAsync(tree.Directory, "pipelines", app));
        Assert.Matches($@"{second[..12]}\s+main\s+Tess Tester\s+#2 succeeded\s+r2 live\s+r2 live", both.Output);
        Assert.Matches($@"{first[..12]}\s+main\s+Tess Tester\s+#1 succeeded\s+r1 superseded\s+r1 superseded", both.Output);

        // A rollback in staging is not a release to carry onward: production keeps release 2.
        await Ok(cli.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "rollback", app, "--env", "staging", "--to", first[..8]));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2, (await GetAsync($"/api/v1/apps/{app}")).GetProperty("spec").GetProperty("release").GetInt64());
        var pipelines = (await GetAsync($"/api/v1/apps/{app}/pipelines")).EnumerateArray().ToList();
        Assert.Equal([second, first], pipelines.Select(p => p.GetProperty("commit").GetString()));
        Assert.All(pipelines, p => Assert.False(p.TryGetProperty("next", out _)));

        // Gates that cannot work are refused, naming why.
        var self = await cli.RunAsync(tree.Directory, "pipelines", "gate", app, "--env", "staging", "--to", "staging", "--mode", "auto");
        Assert.NotEqual(0, self.ExitCode);
        Assert.Contains("'staging' cannot promote to itself", self.Error);
        var loop = await cli.RunAsync(tree.Directory, "pipelines", "gate", app, "--env", "production", "--to", "staging", "--mode", "auto");
        Assert.NotEqual(0, loop.ExitCode);
        Assert.Contains("'production' -> 'staging' would make a loop (production -> staging -> production)", loop.Error);
        var off = await Ok(cli.RunAsync(tree.Directory, "pipelines", "gate", app, "--mode", "off"));
        Assert.Contains($"staging of {app}: no gate", off.Output);

        // One command removes every environment the app runs as; their settings stay for the next push.
        var removed = await Ok(cli.RunAsync(tree.Directory, TimeSpan.FromMinutes(2), "rm", app, "--environments"));
        Assert.Contains($"removed {app} (", removed.Output);
        Assert.Contains($"removed {staging} (", removed.Output);
        var left = await Ok(cli.RunAsync(tree.Directory, "env", app));
        Assert.Matches(@"staging\s+" + staging + @"\s+not deployed", left.Output);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithTheValueNamed()
    {
        var app = TestProject.UniqueApp("env");
        var cli = fixture.Cli;

        var badEnv = await cli.RunAsync(Path.GetTempPath(), "vars", "set", app, "--env", "Stag-ing", "A=1");
        Assert.NotEqual(0, badEnv.ExitCode);
        Assert.Contains("'Stag-ing' is not a valid environment name", badEnv.Error);

        var badName = await cli.RunAsync(Path.GetTempPath(), "vars", "set", app, "--env", "staging", "1A=1");
        Assert.NotEqual(0, badName.ExitCode);
        Assert.Contains("'1A' is not a variable name", badName.Error);

        var empty = await cli.RunWithInputAsync("", Path.GetTempPath(), "secrets", "set", app, "--env", "staging", "api_key");
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("no value for api_key on standard input", empty.Error);

        var nothing = await cli.RunAsync(Path.GetTempPath(), "promote", app);
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains($"'{app}' has no staging environment running", nothing.Error);
    }

    private static async Task<CliResult> Ok(Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private async Task<string> RawAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Server.Token);
        return await http.GetStringAsync(path);
    }

    private async Task<JsonElement> GetAsync(string path) => JsonDocument.Parse(await RawAsync(path)).RootElement;

    /// <summary>The container of the app's one running web replica of its current release (waits for the old one to go).</summary>
    private async Task<string> WebAsync(string app)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var detail = await GetAsync($"/api/v1/apps/{app}");
            var release = detail.GetProperty("spec").GetProperty("release").GetInt64();
            var replicas = (await GetAsync($"/api/v1/apps/{app}/replicas")).EnumerateArray()
                .Select(r => r.GetProperty("replica"))
                .Where(r => r.GetProperty("state").GetString() == "running")
                .Select(r => r.GetProperty("containerId").GetString()!)
                .ToList();
            if (replicas.Count == 1)
            {
                using var docker = new DockerCli();
                var (code, label) = await docker.RunAsync(null, "inspect", "--format", "{{index .Config.Labels \"gantry.release\"}}", replicas[0]);
                if (code == 0 && (label.Trim() == "" || label.Trim() == release.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return replicas[0];
                }
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"{app} has no single running web replica of its current release");
    }

    private static async Task<string> ExecAsync(string container, params string[] command)
    {
        using var docker = new DockerCli();
        var (code, output) = await docker.RunAsync(null, ["exec", container, .. command]);
        Assert.True(code == 0, output);
        return output.TrimEnd('\n');
    }

    private static async Task<string> ImageOfAsync(string container)
    {
        using var docker = new DockerCli();
        var (code, output) = await docker.RunAsync(null, "inspect", "--format", "{{.Image}}", container);
        Assert.True(code == 0, output);
        return output.Trim();
    }
}
