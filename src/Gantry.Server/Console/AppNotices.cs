using Gantry.Controllers.Apps;
using Gantry.Console.Live;

namespace Gantry.Server.Console;

/// <summary>What moved for an app page's live feed.</summary>
[Flags]
public enum AppNoticeKind
{
    /// <summary>The app's stored spec or status (a deploy, a replica started, a release's verdict, a rollback).</summary>
    State = 1,

    /// <summary>A sampler pass recorded usage and traffic (for every app at once).</summary>
    Samples = 2,

    /// <summary>Routers reported requests of the app.</summary>
    Requests = 4,
}

/// <summary>A change an app page may show; <paramref name="App"/> null for every app (a sampler pass).</summary>
public readonly record struct AppNotice(string? App, AppNoticeKind Kind)
{
    /// <summary>The kinds each app page redraws for.</summary>
    public static AppNoticeKind KindsOf(LiveTopic topic) => topic switch
    {
        LiveTopic.App => AppNoticeKind.State | AppNoticeKind.Samples,
        LiveTopic.Releases => AppNoticeKind.State,
        LiveTopic.Requests => AppNoticeKind.Requests,
        LiveTopic.Metrics => AppNoticeKind.State | AppNoticeKind.Samples,
        _ => 0,
    };

    public bool Concerns(string app, AppNoticeKind kinds) =>
        (Kind & kinds) != 0 && (App is null || string.Equals(App, app, StringComparison.Ordinal));
}

/// <summary>
/// Which apps a new catalog snapshot changed, by the store's resource version of each (a write of any app raises the
/// catalog's one signal; an app page wants only its own app's). Not thread-safe: called on the catalog's watch task only.
/// </summary>
public sealed class AppVersions
{
    private Dictionary<string, long> _seen = new(StringComparer.Ordinal);

    /// <summary>The apps written, added or gone since the last snapshot (the first snapshot names every app).</summary>
    public IReadOnlyList<string> Changed(IReadOnlyList<StoredApp> current)
    {
        var next = new Dictionary<string, long>(current.Count, StringComparer.Ordinal);
        var changed = new List<string>();
        foreach (var app in current)
        {
            next[app.Name] = app.Resource.ResourceVersion;
            if (!_seen.TryGetValue(app.Name, out var version) || version != app.Resource.ResourceVersion)
            {
                changed.Add(app.Name);
            }
        }
        changed.AddRange(_seen.Keys.Where(name => !next.ContainsKey(name)));
        _seen = next;
        return changed;
    }
}
