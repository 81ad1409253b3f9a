using Gantry.Docker;
using Gantry.Docker.Containers;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>Looks at the real engine directly, to check what Gantry did rather than what it says it did.</summary>
public static class EngineProbe
{
    public static async Task<IReadOnlyList<ContainerInspectResponse>> ContainersAsync(string owner, string app)
    {
        await using var docker = DockerClient.FromEnvironment();
        var filters = DockerFilters.ForLabel("gantry.owner", owner).Label("gantry.app", app);
        var result = new List<ContainerInspectResponse>();
        foreach (var c in await docker.Containers.ListAsync(new ContainerListOptions { All = true, Filters = filters }))
        {
            if (await docker.Containers.TryInspectAsync(c.Id) is { } inspect)
            {
                result.Add(inspect);
            }
        }
        return result;
    }

    public static async Task<(int Networks, int Volumes)> OtherObjectsAsync(string owner, string app)
    {
        await using var docker = DockerClient.FromEnvironment();
        var filters = DockerFilters.ForLabel("gantry.owner", owner).Label("gantry.app", app);
        return ((await docker.Networks.ListAsync(filters)).Count, (await docker.Volumes.ListAsync(filters)).Count);
    }

    public static async Task<int> BuiltImagesAsync(string owner, string app)
    {
        await using var docker = DockerClient.FromEnvironment();
        var filters = DockerFilters.ForLabel("gantry.owner", owner).Label("gantry.app", app);
        return (await docker.Images.ListAsync(new Gantry.Docker.Images.ImageListOptions { Filters = filters })).Count;
    }

    public static async Task KillAsync(string id)
    {
        await using var docker = DockerClient.FromEnvironment();
        await docker.Containers.KillAsync(id);
    }

    /// <summary>Polls until the condition holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
        }
        return await condition();
    }
}
