using Gantry.Docker.Events;

namespace Gantry.Docker.Tests.Events;

public sealed class EventsTests
{
    [Fact]
    public async Task StreamAsync_FilteredByLabel_SeesStartAndDieOfTestContainer()
    {
        await using var scope = new DockerTestScope("evt");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var options = new EventsOptions
        {
            Since = since,
            Filters = new DockerFilters()
                .Add("type", "container")
                .Label(DockerTestScope.LabelKey, scope.RunId)
                .Add("event", "start")
                .Add("event", "die"),
        };

        // Subscribe before the container starts: dockerd's replay buffer behind Since is small and shared with
        // every other test on this engine, so Since only covers the moment between request and subscription.
        await using var events = scope.Client.Events.StreamAsync(options, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();
        var id = await scope.RunShellAsync("short", "sleep 0.5; exit 3");
        var seen = new List<DockerEvent>();
        while (await next)
        {
            seen.Add(events.Current);
            if (events.Current.Action == "die")
            {
                break;
            }

            next = events.MoveNextAsync().AsTask();
        }

        Assert.Equal(["start", "die"], seen.Select(e => e.Action));
        Assert.All(seen, e => Assert.Equal("container", e.Type));
        Assert.All(seen, e => Assert.Equal(id, e.Actor.Id));
        Assert.All(seen, e => Assert.Equal(scope.RunId, e.Actor.Attributes[DockerTestScope.LabelKey]));
        Assert.Equal("3", seen[1].Actor.Attributes["exitCode"]);
        Assert.Equal(scope.Name("short"), seen[0].Actor.Attributes["name"]);
        Assert.True(seen[1].TimeNano >= seen[0].TimeNano);
        Assert.InRange(seen[0].Timestamp, since, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task StreamAsync_WithUntil_EndsOnItsOwn()
    {
        await using var scope = new DockerTestScope("evt");
        var now = DateTimeOffset.UtcNow;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var messages = await scope.Client.Events.StreamAsync(new EventsOptions
        {
            Since = now.AddSeconds(-2),
            Until = now.AddSeconds(1),
            Filters = DockerFilters.ForLabel(DockerTestScope.LabelKey, scope.RunId),
        }, cts.Token).ToListAsync(cts.Token);

        Assert.Empty(messages);
    }
}
