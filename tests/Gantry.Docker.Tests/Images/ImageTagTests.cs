using Gantry.Docker.Images;

namespace Gantry.Docker.Tests.Images;

public sealed class ImageTagTests
{
    [Fact]
    public async Task TagInspectListRemove_BuiltImage_RoundTrips()
    {
        await using var scope = new DockerTestScope("tag");
        var first = scope.TrackImage($"{scope.RunId}:one");
        var second = scope.TrackImage($"{scope.RunId}/copy:two");
        using var context = TarBuilder.Create(("Dockerfile", $"FROM gantry/busybox:latest\nLABEL {DockerTestScope.LabelKey}={scope.RunId}\n"));
        var id = await scope.Client.Images.BuildAsync(context, new ImageBuildOptions { Tags = [first] });

        await scope.Client.Images.TagAsync(first, $"{scope.RunId}/copy", "two");
        var inspect = await scope.Client.Images.InspectAsync(second);
        var listed = await scope.Client.Images.ListAsync(new ImageListOptions
        {
            Filters = DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId),
        });
        var untag = await scope.Client.Images.RemoveAsync(second);
        var afterUntag = await scope.Client.Images.InspectAsync(id);
        var removed = await scope.Client.Images.RemoveAsync(first, noPrune: false);

        Assert.Equal(id, inspect.Id);
        Assert.Equal(new[] { first, second }.Order(), inspect.RepoTags!.Order());
        Assert.Equal(id, Assert.Single(listed).Id);
        Assert.Equal(second, Assert.Single(untag).Untagged);
        Assert.Equal([first], afterUntag.RepoTags!);
        Assert.Contains(removed, r => r.Deleted == id);
        Assert.Null(await scope.Client.Images.TryInspectAsync(id));
    }

    [Fact]
    public async Task InspectAsync_UnknownImage_ThrowsNotFound()
    {
        await using var scope = new DockerTestScope("tag");

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Images.InspectAsync($"{scope.RunId}:missing"));

        Assert.True(ex.IsNotFound);
    }

    [Fact]
    public async Task RemoveAsync_ImageUsedByContainer_ThrowsConflict()
    {
        await using var scope = new DockerTestScope("tag");
        var tag = scope.TrackImage($"{scope.RunId}:used");
        using var context = TarBuilder.Create(("Dockerfile", "FROM gantry/busybox:latest\nRUN echo used > /used\n"));
        var id = await scope.Client.Images.BuildAsync(context, new ImageBuildOptions { Tags = [tag] });
        var container = await scope.Client.Containers.CreateAsync(new() { Name = scope.Name("user"), Image = tag, Cmd = ["true"] });
        scope.TrackContainer(container.Id);

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => scope.Client.Images.RemoveAsync(id));

        Assert.True(ex.IsConflict);
    }
}
