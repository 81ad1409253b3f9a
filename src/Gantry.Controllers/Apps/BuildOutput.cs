namespace Gantry.Controllers.Apps;

/// <summary>
/// The output of an app's image builds, line by line as the engine reports them, for whoever watches that app (a `git push`
/// waiting for its deploy prints it on the git client's side band). With nobody watching, a build reports nowhere: nothing
/// is kept, so the server holds no build log at rest.
/// </summary>
public sealed class BuildOutput
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Action<string, string>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="onLine"/> (service, line) for every build line of <paramref name="app"/> until disposed.</summary>
    /// <remarks>The callback runs on the build's thread: it must be quick and must not throw (write to a channel).</remarks>
    public IDisposable Watch(string app, Action<string, string> onLine)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(app, out var list))
            {
                _watchers[app] = list = [];
            }
            list.Add(onLine);
        }
        return new Subscription(this, app, onLine);
    }

    /// <summary>Where a build of <paramref name="service"/> reports its lines; null when nobody watches the app.</summary>
    public IProgress<string>? For(string app, string service)
    {
        lock (_lock)
        {
            return _watchers.ContainsKey(app) ? new Sink(this, app, service) : null;
        }
    }

    private void Publish(string app, string service, string line)
    {
        Action<string, string>[] targets;
        lock (_lock)
        {
            if (!_watchers.TryGetValue(app, out var list))
            {
                return;
            }
            targets = [.. list];
        }
        foreach (var target in targets)
        {
            target(service, line);
        }
    }

    private void Remove(string app, Action<string, string> onLine)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(app, out var list) && list.Remove(onLine) && list.Count == 0)
            {
                _watchers.Remove(app);
            }
        }
    }

    /// <summary>Reports on the caller's thread (unlike <see cref="Progress{T}"/>, which posts to the pool and may reorder lines).</summary>
    private sealed class Sink(BuildOutput owner, string app, string service) : IProgress<string>
    {
        public void Report(string value) => owner.Publish(app, service, value);
    }

    private sealed class Subscription(BuildOutput owner, string app, Action<string, string> onLine) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(app, onLine);
            }
        }
    }
}
