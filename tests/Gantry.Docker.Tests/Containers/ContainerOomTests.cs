using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests.Containers;

public sealed class ContainerOomTests
{
    [Fact]
    public async Task WaitAsync_ContainerExceedsMemoryLimit_InspectReportsOomKilled()
    {
        await using var scope = new DockerTestScope("oom");
        const long limit = 16L * 1024 * 1024;
        var id = await scope.RunShellAsync("hog", "x=a; while true; do x=$x$x; done",
            new HostConfig { Memory = limit, MemorySwap = limit });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var wait = await scope.Client.Containers.WaitAsync(id, cancellationToken: cts.Token);
        // containerd reports the exit and the OOM as two events and dockerd records OomKilled from the second: on a busy
        // machine the exit can be seen first, so the flag is read again for a few seconds before it is judged.
        var state = (await scope.Client.Containers.InspectAsync(id)).State;
        for (var i = 0; i < 50 && !state.OomKilled; i++)
        {
            await Task.Delay(100);
            state = (await scope.Client.Containers.InspectAsync(id)).State;
        }

        Assert.True(state.OomKilled);
        Assert.Equal(137, wait.StatusCode);
        Assert.False(state.Running);
    }
}
