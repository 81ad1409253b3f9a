using System.Net;
using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerErrorTests
{
    [Fact]
    public async Task InspectAsync_UnknownContainer_ThrowsNotFound()
    {
        await using var scope = new DockerTestScope("err");

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Containers.InspectAsync(scope.Name("missing")));

        Assert.True(ex.IsNotFound);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("No such container", ex.DaemonMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_ThrowsConflict()
    {
        await using var scope = new DockerTestScope("err");
        await scope.CreateShellAsync("dup", "exit 0");

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.CreateShellAsync("dup", "exit 0"));

        Assert.True(ex.IsConflict);
        Assert.Contains(scope.Name("dup"), ex.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAsync_RunningWithoutForce_ThrowsConflict()
    {
        await using var scope = new DockerTestScope("err");
        var id = await scope.RunShellAsync("busy", "exec sleep 300");

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Containers.RemoveAsync(id));

        Assert.True(ex.IsConflict);
    }

    [Fact]
    public async Task CreateAsync_MissingImage_ThrowsNotFound()
    {
        await using var scope = new DockerTestScope("err");

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Containers.CreateAsync(
            new ContainerCreateParameters { Name = scope.Name("noimg"), Image = "gdt-does-not-exist:never" }));

        Assert.True(ex.IsNotFound);
    }
}
