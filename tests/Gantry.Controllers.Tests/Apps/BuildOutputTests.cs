using Gantry.Controllers.Apps;

namespace Gantry.Controllers.Tests.Apps;

public sealed class BuildOutputTests
{
    [Fact]
    public void For_NobodyWatching_IsNull()
    {
        Assert.Null(new BuildOutput().For("shop", "web"));
    }

    [Fact]
    public void Report_WhileWatched_ReachesTheWatcherInOrderAndStopsWhenDisposed()
    {
        var output = new BuildOutput();
        var lines = new List<string>();
        var watch = output.Watch("shop", (service, line) => lines.Add($"{service}: {line}"));
        var other = new List<string>();
        using var otherWatch = output.Watch("blog", (service, line) => other.Add(line));

        var progress = output.For("shop", "web");
        Assert.NotNull(progress);
        progress.Report("Step 1/2 : FROM base");
        progress.Report("Step 2/2 : COPY . /app");
        watch.Dispose();
        progress.Report("after");
        watch.Dispose();

        Assert.Equal(["web: Step 1/2 : FROM base", "web: Step 2/2 : COPY . /app"], lines);
        Assert.Empty(other);
        Assert.Null(output.For("shop", "web"));
        Assert.NotNull(output.For("blog", "web"));
    }
}
