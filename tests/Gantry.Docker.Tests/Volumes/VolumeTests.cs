using Gantry.Docker.Containers;
using Gantry.Docker.Volumes;

namespace Gantry.Docker.Tests.Volumes;

public sealed class VolumeTests
{
    [Fact]
    public async Task CreateInspectListRemove_WithLabelsAndDriverOptions_RoundTrips()
    {
        await using var scope = new DockerTestScope("vol");
        var name = scope.TrackVolume(scope.Name("data"));

        var created = await scope.Client.Volumes.CreateAsync(new VolumeCreateParameters
        {
            Name = name,
            Driver = "local",
            DriverOpts = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=4m" },
            Labels = scope.Labels,
        });
        var inspect = await scope.Client.Volumes.InspectAsync(name);
        var listed = await scope.Client.Volumes.ListAsync(DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId));
        await scope.Client.Volumes.RemoveAsync(name);
        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Volumes.InspectAsync(name));

        Assert.Equal(name, created.Name);
        Assert.Equal("local", inspect.Driver);
        Assert.Equal(scope.RunId, inspect.Labels![DockerTestScope.LabelKey]);
        Assert.Equal("size=4m", inspect.Options!["o"]);
        Assert.False(string.IsNullOrEmpty(inspect.Mountpoint));
        Assert.Equal(name, Assert.Single(listed).Name);
        Assert.True(ex.IsNotFound);
    }

    [Fact]
    public async Task RemoveAsync_VolumeInUse_ThrowsConflict()
    {
        await using var scope = new DockerTestScope("vol");
        var name = scope.TrackVolume(scope.Name("used"));
        await scope.Client.Volumes.CreateAsync(new VolumeCreateParameters { Name = name, Labels = scope.Labels });
        await scope.CreateShellAsync("user", "exit 0", new HostConfig { Mounts = [Mount.Volume(name, "/data")] });

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Volumes.RemoveAsync(name));

        Assert.True(ex.IsConflict);
    }
}
