using Gantry.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gantry.IntegrationTests;

/// <summary>
/// At rest Gantry costs nothing: a deployed, healthy app whose health checks run every second (each one an exec on the
/// engine) makes the server write nothing to its store.
/// </summary>
public sealed class AtRestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string HealthChecked = """
        services:
          web:
            image: gantry/busybox:1
            command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
            init: true
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/hostname"]
              interval: 1s
              retries: 3
            deploy:
              replicas: 2
              resources:
                limits: { memory: 16M, cpus: "0.1" }
        """;

    [Fact]
    public async Task HealthyApp_ThirtySecondsAtRest_NoStatusWriteAndNoEvent()
    {
        var app = TestProject.UniqueApp("rest");
        using var project = new TestProject(HealthChecked);
        var deploy = await fixture.Cli.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        // Let the last transitions (healthy, ready) land.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = Read(app);

        await Task.Delay(TimeSpan.FromSeconds(30));
        var after = Read(app);

        Assert.True(after.AppChanges == before.AppChanges, $"{after.AppChanges - before.AppChanges} writes of {app} at rest");
        Assert.True(after.Events == before.Events, $"{after.Events - before.Events} events of {app} at rest");
        Assert.Equal(before.AppVersion, after.AppVersion);
        Assert.Equal("running", after.Phase, ignoreCase: true);

        await fixture.Cli.RunAsync(project.Directory, "rm", app);
    }

    private (long AppChanges, long Events, long AppVersion, string? Phase) Read(string app)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(fixture.Server.DataDirectory, "gantry.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$app", app);
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        using var phase = connection.CreateCommand();
        phase.CommandText = "SELECT json_extract(status_json, '$.phase') FROM resources WHERE kind = 'App' AND name = $app";
        phase.Parameters.AddWithValue("$app", app);
        return (
            Scalar("SELECT count(*) FROM changes WHERE kind = 'App' AND name = $app"),
            Scalar("SELECT count(*) FROM events WHERE app = $app"),
            Scalar("SELECT resource_version FROM resources WHERE kind = 'App' AND name = $app"),
            phase.ExecuteScalar() as string);
    }
}
