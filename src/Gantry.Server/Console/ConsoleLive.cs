using Gantry.Console.Live;
using Gantry.Registry;
using Gantry.Registry.Gc;
using Gantry.Server.Apps;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Cluster;
using Gantry.Server.Metrics;
using Gantry.Server.Registry;
using Gantry.Server.Requests;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's live feeds on the change feeds the server already keeps: the Apps page on the app catalog (one store watch)
/// and the manager's node events (<see cref="NodeWatch"/>), the Registry pages on the registry's events and the collector's
/// runs, Settings on the audit log's appends, an app's pages on its own writes in the catalog (<see cref="AppVersions"/>),
/// the sampler's passes (<see cref="SamplerPasses"/>) and the routers' request reports (<see cref="RequestLog.Recorded"/>). Each is a signal raised where the change happens; none reads the store, and an
/// open page costs an idle connection until something changes. The Apps page's traffic figures are drawn from the sampler's
/// passes, so the page also follows the passes while they can change them: from a pass after requests were reported until
/// the last of those requests has left the page's window (<see cref="AppsTrafficPasses"/>). With no traffic it is not woken. Who may follow what is the pages' rule: another team's
/// repository is the same 404 as a missing one, the audit feed is the admins'.
/// </summary>
public sealed class ConsoleLive : IConsoleLive, IDisposable
{
    private readonly LiveFeed<bool> _apps = new("apps");
    private readonly LiveFeed<bool> _audit = new("audit");
    private readonly LiveFeed<AppNotice> _app = new("app");
    private readonly AppVersions _appVersions = new();
    private readonly AppCatalog _catalog;
    private readonly NodeWatch _nodes;
    private readonly RegistryGarbageCollector _collector;
    private readonly RegistryLiveSink _registry;
    private readonly AuditFeed _auditLog;
    private readonly SamplerPasses _passes;
    private readonly RequestLog _requests;
    private readonly AppsTrafficPasses _appsTraffic = new();

    public ConsoleLive(AppCatalog catalog, NodeWatch nodes, RegistryGarbageCollector collector, RegistryLiveSink registry, AuditFeed audit,
        SamplerPasses passes, RequestLog requests)
    {
        (_catalog, _nodes, _collector, _registry, _auditLog, _passes, _requests) = (catalog, nodes, collector, registry, audit, passes, requests);
        _catalog.Changed += OnAppsChanged;
        _catalog.Changed += OnCatalogChanged;
        _passes.Recorded += OnSamplerPass;
        _requests.Recorded += OnRequestsRecorded;
        _nodes.Changed += OnAppsChanged;
        _collector.RunRecorded += OnRunRecorded;
        _auditLog.Appended += OnAuditAppended;
    }

    public long Version(LiveTopic topic) => topic switch
    {
        LiveTopic.Apps => _apps.Version,
        LiveTopic.Registry or LiveTopic.Repository => _registry.Feed.Version,
        LiveTopic.Audit => _audit.Version,
        LiveTopic.App or LiveTopic.Releases or LiveTopic.Requests or LiveTopic.Metrics => _app.Version,
        _ => 0,
    };

    public IAsyncEnumerable<LiveChange>? Follow(HttpContext context, LiveTopic topic, string? subject, long? since, CancellationToken ct)
    {
        var caller = context.Principal();
        switch (topic)
        {
            case LiveTopic.Apps:
                // The page lists only the caller's apps when it is fetched again: a notice of another team's change says nothing.
                return _apps.FollowAsync(since, _ => true, ct);
            case LiveTopic.Registry:
                var grants = new RegistryPrincipal(caller.Name, caller.IsRouter ? [] : GantryTokenValidator.Grants(caller));
                return _registry.Feed.FollowAsync(since, repository => repository is null || grants.ActionsOn(repository).HasFlag(RegistryActions.Pull), ct);
            case LiveTopic.Repository:
                var actions = string.IsNullOrEmpty(subject) || caller.IsRouter ? RegistryActions.None
                    : new RegistryPrincipal(caller.Name, GantryTokenValidator.Grants(caller)).ActionsOn(subject);
                return actions.HasFlag(RegistryActions.Pull)
                    ? _registry.Feed.FollowAsync(since, repository => string.Equals(repository, subject, StringComparison.Ordinal), ct)
                    : null;
            case LiveTopic.Audit:
                return caller.IsAdmin ? _audit.FollowAsync(since, _ => true, ct) : null;
            case LiveTopic.App or LiveTopic.Releases or LiveTopic.Requests or LiveTopic.Metrics:
                // The app's own viewers only: another team's app is the same 404 as a missing one, as on its pages.
                if (string.IsNullOrEmpty(subject) || caller.IsRouter
                    || _catalog.Current.FirstOrDefault(a => string.Equals(a.Name, subject, StringComparison.Ordinal)) is not { } app
                    || AppAccess.Check(caller, app.Name, app.Spec.TeamName, Model.Api.Identity.Role.Viewer) is not null)
                {
                    return null;
                }
                var kinds = AppNotice.KindsOf(topic);
                return _app.FollowAsync(since, notice => notice.Concerns(subject, kinds), ct);
            default:
                return null;
        }
    }

    private void OnAppsChanged() => _apps.Publish(true);

    /// <summary>
    /// A run someone started (its start and end), and a scheduled one that removed something or failed; a scheduled run that
    /// found nothing is not announced: it would wake every open Registry page every 10 minutes for a row that says nothing.
    /// </summary>
    private void OnRunRecorded(GarbageCollectionRun run)
    {
        if (run.StartedBy is not null || (run.FinishedAt is not null && RegistryGarbageCollector.WorthKeeping(run)))
        {
            _registry.Feed.Publish(null);
        }
    }

    private void OnAuditAppended() => _audit.Publish(true);

    private void OnCatalogChanged()
    {
        foreach (var app in _appVersions.Changed(_catalog.Current))
        {
            _app.Publish(new AppNotice(app, AppNoticeKind.State));
        }
    }

    private void OnSamplerPass(DateTimeOffset at)
    {
        _app.Publish(new AppNotice(null, AppNoticeKind.Samples));
        if (_appsTraffic.Moved(at))
        {
            _apps.Publish(true);
        }
    }

    private void OnRequestsRecorded(IReadOnlyCollection<string> apps)
    {
        if (apps.Count > 0)
        {
            _appsTraffic.RequestsReported();
        }
        foreach (var app in apps)
        {
            _app.Publish(new AppNotice(app, AppNoticeKind.Requests));
        }
    }

    public void Dispose()
    {
        _catalog.Changed -= OnAppsChanged;
        _catalog.Changed -= OnCatalogChanged;
        _passes.Recorded -= OnSamplerPass;
        _requests.Recorded -= OnRequestsRecorded;
        _nodes.Changed -= OnAppsChanged;
        _collector.RunRecorded -= OnRunRecorded;
        _auditLog.Appended -= OnAuditAppended;
    }
}
