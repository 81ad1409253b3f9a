using Gantry.Docker.Containers;
using Gantry.Docker.Networks;

namespace Gantry.Docker.Tests.Networks;

public sealed class NetworkTests
{
    [Fact]
    public async Task CreateInspectListRemove_WithLabelsAndOptions_RoundTrips()
    {
        await using var scope = new DockerTestScope("net");
        var created = await scope.Client.Networks.CreateAsync(new NetworkCreateParameters
        {
            Name = scope.Name("a"),
            Driver = "bridge",
            Internal = true,
            Attachable = true,
            Labels = scope.Labels,
            Options = new Dictionary<string, string> { ["com.docker.network.driver.mtu"] = "1400" },
        });
        scope.TrackNetwork(created.Id);

        var inspect = await scope.Client.Networks.InspectAsync(scope.Name("a"));
        var listed = await scope.Client.Networks.ListAsync(DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId));
        await scope.Client.Networks.RemoveAsync(created.Id);
        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Networks.InspectAsync(created.Id));

        Assert.Equal(created.Id, inspect.Id);
        Assert.Equal("bridge", inspect.Driver);
        Assert.True(inspect.Internal);
        Assert.True(inspect.Attachable);
        Assert.Equal(scope.RunId, inspect.Labels![DockerTestScope.LabelKey]);
        Assert.Equal("1400", inspect.Options!["com.docker.network.driver.mtu"]);
        Assert.Equal(created.Id, Assert.Single(listed).Id);
        Assert.True(ex.IsNotFound);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_ThrowsConflict()
    {
        await using var scope = new DockerTestScope("net");
        scope.TrackNetwork((await scope.Client.Networks.CreateAsync(new() { Name = scope.Name("dup"), Labels = scope.Labels })).Id);

        var ex = await Assert.ThrowsAsync<DockerApiException>(() =>
            scope.Client.Networks.CreateAsync(new() { Name = scope.Name("dup"), Labels = scope.Labels }));

        Assert.True(ex.IsConflict);
    }

    [Fact]
    public async Task ConnectAndDisconnect_SecondNetworkWithAliases_ShowsInContainerInspect()
    {
        await using var scope = new DockerTestScope("net");
        var first = scope.TrackNetwork((await scope.Client.Networks.CreateAsync(new() { Name = scope.Name("front"), Labels = scope.Labels })).Id);
        var second = scope.TrackNetwork((await scope.Client.Networks.CreateAsync(new() { Name = scope.Name("back"), Labels = scope.Labels })).Id);
        var id = await scope.CreateShellAsync("svc", "exec sleep 300",
            customize: p => p with { NetworkingConfig = NetworkingConfig.For(scope.Name("front"), "web") });
        await scope.Client.Containers.StartAsync(id);

        await scope.Client.Networks.ConnectAsync(second, id, ["api", "api-v2"]);
        var connected = await scope.Client.Containers.InspectAsync(id);
        var networkView = await scope.Client.Networks.InspectAsync(second);
        await scope.Client.Networks.DisconnectAsync(second, id);
        var disconnected = await scope.Client.Containers.InspectAsync(id);

        var networks = connected.NetworkSettings.Networks!;
        Assert.Contains("web", networks[scope.Name("front")].Aliases!);
        Assert.Equal(first, networks[scope.Name("front")].NetworkId);
        Assert.Contains("api", networks[scope.Name("back")].Aliases!);
        Assert.Contains("api-v2", networks[scope.Name("back")].Aliases!);
        Assert.False(string.IsNullOrEmpty(networks[scope.Name("back")].IPAddress));
        Assert.NotEqual(networks[scope.Name("front")].IPAddress, networks[scope.Name("back")].IPAddress);
        Assert.True(networkView.Containers!.ContainsKey(id));
        Assert.False(disconnected.NetworkSettings.Networks!.ContainsKey(scope.Name("back")));
        Assert.True(disconnected.NetworkSettings.Networks.ContainsKey(scope.Name("front")));
    }
}
