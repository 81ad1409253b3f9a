using Gantry.Docker.Images;

namespace Gantry.Docker.Tests.Images;

public sealed class ImageBuildTests
{
    [Fact]
    public async Task BuildAsync_InMemoryContext_ReportsProgressAndProducesTaggedImage()
    {
        await using var scope = new DockerTestScope("build");
        var tag = scope.TrackImage($"{scope.RunId}:c0ffee1");
        const string dockerfile = """
            FROM gantry/busybox:latest
            ARG GREETING=unset
            COPY hello.txt /hello.txt
            RUN echo "greeting=$GREETING" > /greeting.txt && cat /greeting.txt
            EXPOSE 8080/tcp
            HEALTHCHECK --interval=5s --timeout=2s --retries=4 CMD test -e /hello.txt
            CMD ["sh", "-c", "cat /greeting.txt"]
            """;
        using var context = TarBuilder.Create(("build/Dockerfile.gantry", dockerfile), ("hello.txt", "hi\n"));
        var messages = new List<ImageProgressMessage>();

        var imageId = await scope.Client.Images.BuildAsync(context, new ImageBuildOptions
        {
            Tags = [tag],
            Dockerfile = "build/Dockerfile.gantry",
            BuildArgs = new Dictionary<string, string> { ["GREETING"] = "gantry" },
            Labels = new Dictionary<string, string> { [DockerTestScope.LabelKey] = scope.RunId },
        }, new SynchronousProgress<ImageProgressMessage>(messages.Add));

        Assert.StartsWith("sha256:", imageId, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Stream?.Contains("greeting=gantry", StringComparison.Ordinal) == true);
        Assert.Contains(messages, m => m.Stream?.StartsWith("Step 1/", StringComparison.Ordinal) == true);
        var inspect = await scope.Client.Images.InspectAsync(tag);
        Assert.Equal(imageId, inspect.Id);
        Assert.Contains(tag, inspect.RepoTags!);
        Assert.True(inspect.Size > 0);
        Assert.Equal(scope.RunId, inspect.Config!.Labels![DockerTestScope.LabelKey]);
        Assert.True(inspect.Config.ExposedPorts!.ContainsKey("8080/tcp"));
        Assert.Equal(["CMD-SHELL", "test -e /hello.txt"], inspect.Config.Healthcheck!.Test!);
        Assert.Equal(TimeSpan.FromSeconds(5), inspect.Config.Healthcheck.Interval);
        Assert.Equal(4, inspect.Config.Healthcheck.Retries);
    }

    [Fact]
    public async Task BuildStreamAsync_FailingRunStep_ThrowsTypedErrorFromStream()
    {
        await using var scope = new DockerTestScope("build");
        using var context = TarBuilder.Create(("Dockerfile", "FROM gantry/busybox:latest\nRUN echo gdt-before-failure && exit 3\n"));
        var seen = new List<ImageProgressMessage>();

        var ex = await Assert.ThrowsAsync<DockerApiException>(async () =>
        {
            await foreach (var message in scope.Client.Images.BuildStreamAsync(context,
                               new ImageBuildOptions { Tags = [scope.TrackImage($"{scope.RunId}:broken")] }))
            {
                seen.Add(message);
            }
        });

        Assert.True(ex.InStream);
        Assert.Contains("returned a non-zero code: 3", ex.DaemonMessage, StringComparison.Ordinal);
        Assert.Contains(seen, m => m.Stream?.Contains("gdt-before-failure", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task BuildAsync_MissingBaseImageWithoutRegistry_ThrowsTypedError()
    {
        await using var scope = new DockerTestScope("build");
        using var context = TarBuilder.Create(("Dockerfile", "FROM gdt-no-such-base-image:never\n"));

        var ex = await Assert.ThrowsAsync<DockerApiException>(() =>
            scope.Client.Images.BuildAsync(context, new ImageBuildOptions { Tags = [scope.TrackImage($"{scope.RunId}:nobase")] }));

        // The daemon tries the registry for the missing base image; here that fails because no registry is reachable.
        Assert.False(string.IsNullOrWhiteSpace(ex.DaemonMessage));
        Assert.False(ex.IsConflict);
    }

    [Fact]
    public async Task BuildFromDirectoryAsync_WithDockerignore_LeavesIgnoredFilesOut()
    {
        await using var scope = new DockerTestScope("build");
        var dir = Directory.CreateTempSubdirectory("gdt-ctx-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Dockerfile"),
                "FROM gantry/busybox:latest\nCOPY . /ctx\nRUN test -e /ctx/app/main.txt && test ! -e /ctx/secret.env && test ! -e /ctx/logs && test -e /ctx/logs-keep.txt\n");
            File.WriteAllText(Path.Combine(dir.FullName, ".dockerignore"), "# local files\nsecret.env\nlogs\n*.tmp\n");
            File.WriteAllText(Path.Combine(dir.FullName, "secret.env"), "PASSWORD=x");
            File.WriteAllText(Path.Combine(dir.FullName, "logs-keep.txt"), "kept");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "app"));
            File.WriteAllText(Path.Combine(dir.FullName, "app", "main.txt"), "main");
            File.WriteAllText(Path.Combine(dir.FullName, "app", "scratch.tmp"), "tmp");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "logs"));
            File.WriteAllText(Path.Combine(dir.FullName, "logs", "today.log"), "log");

            var imageId = await scope.Client.Images.BuildFromDirectoryAsync(dir.FullName,
                new ImageBuildOptions { Tags = [scope.TrackImage($"{scope.RunId}:dir")] });

            Assert.StartsWith("sha256:", imageId, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need every report before the call returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
