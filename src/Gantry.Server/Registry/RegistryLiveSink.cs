using Gantry.Console.Live;
using Gantry.Registry;

namespace Gantry.Server.Registry;

/// <summary>
/// The registry's pushes and deletes (the console's, the CLI's, docker's and retention's alike) as the feed the Registry pages
/// follow; a change names its repository, so a page hears only of those its user may pull. Garbage-collection runs join the
/// same feed with no repository (<see cref="Console.ConsoleLive"/>).
/// </summary>
public sealed class RegistryLiveSink : IRegistryEventSink
{
    public LiveFeed<string?> Feed { get; } = new("registry");

    public ValueTask OnEventAsync(RegistryEvent e, CancellationToken ct)
    {
        Feed.Publish(e.Repository);
        return ValueTask.CompletedTask;
    }
}
