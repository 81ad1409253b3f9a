using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Releases;
using Gantry.Model.Status;
using Gantry.Server.Identity;
using Gantry.Store;

namespace Gantry.Server.Apps;

/// <summary>
/// The read views of apps (the list row and the detail), filtered by the caller: the API and the console both ask
/// here, so a user sees the same apps, with the same phase and masking, in either.
/// </summary>
public sealed class AppQuery(IResourceStore store)
{
    /// <summary>The apps of the caller's teams only: another team's apps are not listed, not even by name.</summary>
    public async Task<IReadOnlyList<AppSummary>> ListAsync(Principal caller, CancellationToken ct)
    {
        var apps = new List<AppSummary>();
        foreach (var resource in await store.ListAsync(AppKinds.App, ct).ConfigureAwait(false))
        {
            var (spec, status) = Read(resource);
            if (caller.RoleIn(spec.TeamName) is null)
            {
                continue;
            }
            apps.Add(new AppSummary(resource.Name, spec.Environment, PhaseOf(resource, status))
            {
                Message = status.Message,
                Team = spec.TeamName,
                Generation = resource.Generation,
                ObservedGeneration = resource.ObservedGeneration,
                Release = spec.Release,
                Services = spec.Services.Count,
                ReplicasDesired = spec.Services.Sum(s => s.Replicas),
                ReplicasRunning = status.Services.Sum(s => s.Running),
                UpdatedAt = resource.UpdatedAt,
            });
        }
        return apps.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The app, or null when it does not exist or the caller has no role in its team (one answer for both).</summary>
    public async Task<AppDetail?> FindAsync(Principal caller, string app, CancellationToken ct)
    {
        var resource = await store.GetAsync(AppKinds.App, app, ct).ConfigureAwait(false);
        if (resource is null)
        {
            return null;
        }
        var (spec, status) = Read(resource);
        if (caller.RoleIn(spec.TeamName) is null)
        {
            return null;
        }
        return new AppDetail(app, spec.Environment, PhaseOf(resource, status))
        {
            Message = status.Message,
            Generation = resource.Generation,
            ObservedGeneration = resource.ObservedGeneration,
            Deleting = resource.DeletionRequestedAt is not null,
            // The view masks what looks secret (environment, command, labels, ...) by the one rule every view uses.
            Spec = ConfigurationMasker.MaskApp(spec),
            Status = status,
        };
    }

    internal static (AppSpec Spec, AppStatus Status) Read(StoredResource resource)
    {
        var app = StoredApp.From(resource);
        return (app.Spec, app.Status ?? new AppStatus());
    }

    private static AppPhase PhaseOf(StoredResource resource, AppStatus status) =>
        resource.DeletionRequestedAt is not null ? AppPhase.Deleting
        : resource.ObservedGeneration < resource.Generation && status.Phase != AppPhase.Failed ? AppPhase.Deploying
        : status.Phase;
}
