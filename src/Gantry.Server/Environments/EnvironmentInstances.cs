using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Environments;
using Gantry.Store;

namespace Gantry.Server.Environments;

/// <summary>
/// The app a name stands for when deciding who may touch it: the app itself (production), or else any running environment
/// of it, so `hello` pushed only to staging still belongs to staging's team for the API's and git's access checks.
/// </summary>
public static class EnvironmentInstances
{
    public static async Task<StoredApp?> FindAnyAsync(this IResourceStore store, string app, CancellationToken ct)
    {
        if (await store.GetAppAsync(app, ct).ConfigureAwait(false) is { } production)
        {
            return production;
        }
        foreach (var resource in await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false))
        {
            var record = JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.EnvironmentRecord);
            if (record?.App == app && await store.GetAppAsync(record.Instance, ct).ConfigureAwait(false) is { } instance)
            {
                return instance;
            }
        }
        return null;
    }

    /// <summary>The team that owns the name: the app's, else a running environment's, else the team that set up an environment first.</summary>
    public static async Task<string?> TeamOfAsync(this IResourceStore store, string app, CancellationToken ct)
    {
        if (await FindAnyAsync(store, app, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.Spec.TeamName;
        }
        foreach (var resource in await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false))
        {
            if (JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.EnvironmentRecord) is { Team: { } team } record && record.App == app)
            {
                return team;
            }
        }
        return null;
    }
}
