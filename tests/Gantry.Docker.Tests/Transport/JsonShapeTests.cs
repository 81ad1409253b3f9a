using System.Text.Json;
using Gantry.Docker.Containers;
using Gantry.Docker.Transport;

namespace Gantry.Docker.Tests.Transport;

public sealed class JsonShapeTests
{
    [Fact]
    public void Serialize_CreateParameters_UsesApiNamesNanosecondsAndOmitsNulls()
    {
        var json = JsonSerializer.Serialize(new ContainerCreateParameters
        {
            Name = "not-in-body",
            Image = "img",
            Healthcheck = new HealthConfig { Interval = TimeSpan.FromSeconds(2) },
            HostConfig = new HostConfig { Memory = 1024 },
        }, DockerJsonContext.Default.ContainerCreateParameters);

        Assert.Equal("""{"Image":"img","Healthcheck":{"Interval":2000000000},"HostConfig":{"Memory":1024}}""", json);
    }

    [Fact]
    public void Deserialize_InspectState_ReadsOomKilledAndNanosecondTimes()
    {
        const string json = """{"Id":"abc","State":{"Status":"exited","OOMKilled":true,"ExitCode":137,"StartedAt":"2024-05-01T10:00:00.123456789Z","FinishedAt":"0001-01-01T00:00:00Z"}}""";

        var inspect = JsonSerializer.Deserialize(json, DockerJsonContext.Default.ContainerInspectResponse)!;

        Assert.True(inspect.State.OomKilled);
        Assert.Equal(137, inspect.State.ExitCode);
        Assert.Equal(2024, inspect.State.StartedAt!.Value.Year);
        Assert.Equal(DateTimeOffset.MinValue, inspect.State.FinishedAt);
    }
}
