using Gantry.Docker.Containers;

namespace Gantry.Docker.Tests;

/// <summary>Creates uniquely named engine objects for one test and removes exactly those afterwards.</summary>
internal sealed class DockerTestScope : IAsyncDisposable
{
    public const string Busybox = "gantry/busybox:latest";
    public const string LabelKey = "gdt.test";

    private readonly List<string> _containers = [];
    private readonly List<string> _networks = [];
    private readonly List<string> _volumes = [];
    private readonly List<string> _images = [];

    public DockerTestScope(string area)
    {
        Client = DockerClient.FromEnvironment();
        RunId = $"gdt-{area}-{Guid.NewGuid():N}"[..(5 + area.Length + 10)];
    }

    public DockerClient Client { get; }

    /// <summary>Unique per test; used as the name prefix and as the value of the gdt.test label.</summary>
    public string RunId { get; }

    public IReadOnlyDictionary<string, string> Labels => new Dictionary<string, string> { [LabelKey] = RunId };

    public string Name(string suffix) => $"{RunId}-{suffix}";

    public string TrackContainer(string id)
    {
        _containers.Add(id);
        return id;
    }

    public string TrackNetwork(string id)
    {
        _networks.Add(id);
        return id;
    }

    public string TrackVolume(string name)
    {
        _volumes.Add(name);
        return name;
    }

    public string TrackImage(string reference)
    {
        _images.Add(reference);
        return reference;
    }

    /// <summary>Creates a busybox container running the shell script, labelled and tracked for cleanup.</summary>
    public async Task<string> CreateShellAsync(string suffix, string script, HostConfig? hostConfig = null,
        Func<ContainerCreateParameters, ContainerCreateParameters>? customize = null)
    {
        var parameters = new ContainerCreateParameters
        {
            Name = Name(suffix),
            Image = Busybox,
            Cmd = ["sh", "-c", script],
            Labels = Labels,
            HostConfig = hostConfig,
        };
        var response = await Client.Containers.CreateAsync(customize?.Invoke(parameters) ?? parameters);
        return TrackContainer(response.Id);
    }

    public async Task<string> RunShellAsync(string suffix, string script, HostConfig? hostConfig = null)
    {
        var id = await CreateShellAsync(suffix, script, hostConfig);
        await Client.Containers.StartAsync(id);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _containers)
        {
            await IgnoreMissing(() => Client.Containers.RemoveAsync(id, force: true, removeVolumes: true));
        }

        foreach (var id in _networks)
        {
            await IgnoreMissing(() => Client.Networks.RemoveAsync(id));
        }

        foreach (var name in _volumes)
        {
            await IgnoreMissing(() => Client.Volumes.RemoveAsync(name, force: true));
        }

        foreach (var image in _images)
        {
            await IgnoreMissing(() => Client.Images.RemoveAsync(image, force: true));
        }

        await Client.DisposeAsync();
    }

    private static async Task IgnoreMissing(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (DockerApiException ex) when (ex.IsNotFound)
        {
        }
    }
}
