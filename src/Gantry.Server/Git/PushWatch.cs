using System.Threading.Channels;
using Gantry.Controllers.Apps;

namespace Gantry.Server.Git;

/// <summary>
/// What a waiting push hears about its app: build lines from the moment it is made (before the deploy is stored, so the
/// controller cannot start building unheard), then events and states once <see cref="PushRollout.FollowAsync"/> runs.
/// </summary>
public sealed class PushWatch : IDisposable
{
    private readonly IDisposable _builds;

    public PushWatch(string app, BuildOutput builds)
    {
        App = app;
        _builds = builds.Watch(app, (service, line) => Signals.Writer.TryWrite($"{service}: {line}"));
    }

    public string App { get; }

    /// <summary>Lines (strings) and app states (<see cref="StoredApp"/>), in arrival order.</summary>
    internal Channel<object> Signals { get; } = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public void Dispose() => _builds.Dispose();
}
