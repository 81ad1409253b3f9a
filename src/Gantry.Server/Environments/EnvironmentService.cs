using System.Text.Json;
using Gantry.Controllers.Apps;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Model.Environments;
using Gantry.Model.Releases;
using Gantry.Server.Apps;
using Gantry.Store;

namespace Gantry.Server.Environments;

/// <summary>
/// An app's environments (docs/decisions/0024): their variables and sealed secrets in the store (kind "Environment", named by
/// the instance each one runs as), the views that never carry a value, and what a deploy into an instance takes from them.
/// </summary>
public sealed class EnvironmentService(IResourceStore store, SecretBox box, SecretFiles files, TimeProvider time)
{
    /// <summary>The environment an instance belongs to, or null for an app that has none recorded (an app deployed as before).</summary>
    public async Task<EnvironmentRecord?> ForInstanceAsync(string instance, CancellationToken ct)
    {
        var stored = await store.GetAsync(EnvironmentRecord.Kind, instance, ct).ConfigureAwait(false);
        return stored is null ? null : Read(stored);
    }

    /// <summary>The app's environments: production (the app itself) whenever it exists, and every recorded one.</summary>
    public async Task<IReadOnlyList<EnvironmentView>?> ListAsync(string app, CancellationToken ct)
    {
        var records = (await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false)).Select(Read).Where(r => r.App == app).ToList();
        var production = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (records.Count == 0 && production is null)
        {
            return null;
        }
        if (production is not null && records.All(r => r.Name != EnvironmentNames.Production))
        {
            records.Add(new EnvironmentRecord { App = app, Name = EnvironmentNames.Production });
        }
        var views = new List<EnvironmentView>();
        foreach (var record in records.OrderBy(r => r.Name == EnvironmentNames.Production ? 1 : 0).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var instance = await store.GetAppAsync(record.Instance, ct).ConfigureAwait(false);
            string? commit = null;
            if (instance is not null && await store.GetAsync(Controllers.Releases.ReleaseBook.Kind, ReleaseRecord.NameOf(record.Instance, instance.Spec.Release), ct).ConfigureAwait(false) is { } release)
            {
                commit = JsonSerializer.Deserialize(release.SpecJson, ModelJsonContext.Default.ReleaseRecord)?.Source?.Commit;
            }
            views.Add(new EnvironmentView(app, record.Name, record.Instance)
            {
                Phase = instance is null ? null : (instance.Status?.Phase.ToString() ?? "Pending"),
                Release = instance?.Spec.Release,
                Commit = commit,
                Variables = record.Variables.ToDictionary(v => v.Key, v => SecretValues.LooksSecret(v.Key, v.Value) ? SecretValues.Mask : v.Value, StringComparer.Ordinal),
                Secrets = record.Secrets.Where(s => s.Value.Count > 0)
                    .Select(s => s.Value.MaxBy(v => v.Version)!)
                    .Zip(record.Secrets.Where(s => s.Value.Count > 0).Select(s => s.Key))
                    .Select(p => new SecretVersionView(p.Second, p.First.Version, p.First.CreatedAt, p.First.CreatedBy)).ToList(),
                Gate = record.Gate,
                PreviewOf = record.Preview?.Branch,
            });
        }
        return views;
    }

    /// <param name="team">The team a new environment is recorded under when nothing of the app exists yet.</param>
    public Task<ChangeOutcome<EnvironmentView>> ChangeVariablesAsync(string app, string environment, VariablesChange change, string? team, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (record, resource, refusal) = await OpenAsync(app, environment, team, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Fail<EnvironmentView>(refusal);
            }
            var (changed, errors) = EnvironmentEdits.ChangeVariables(record!, change.Set, change.Unset);
            if (errors.Count > 0)
            {
                return ChangeOutcome<EnvironmentView>.Invalid(errors.Select(e => new Diagnostic("error", "variables", 0, 0, "", e)).ToList());
            }
            await SaveAsync(changed, resource, ct).ConfigureAwait(false);
            return ChangeOutcome<EnvironmentView>.Accepted((await ListAsync(app, ct).ConfigureAwait(false))!.First(v => v.Name == environment));
        });

    /// <summary>Seals the value as the secret's next version and writes its file for the engine; the value goes nowhere else.</summary>
    public Task<ChangeOutcome<SecretSetResponse>> SetSecretAsync(string app, string environment, string name, string value, string actor, string? team, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            if ((EnvironmentEdits.CheckSecretName(name) ?? EnvironmentEdits.CheckSecretValue(name, System.Text.Encoding.UTF8.GetByteCount(value))) is { } error)
            {
                return ChangeOutcome<SecretSetResponse>.Invalid([new Diagnostic("error", "secret", 0, 0, name, error)]);
            }
            var (record, resource, refusal) = await OpenAsync(app, environment, team, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Fail<SecretSetResponse>(refusal);
            }
            var (changed, version) = EnvironmentEdits.AddSecretVersion(record!, name, v => box.Seal(value, SecretBox.PlaceOf(app, environment, name, v)), time.GetUtcNow(), actor);
            await SaveAsync(changed, resource, ct).ConfigureAwait(false);
            files.Write(changed.Instance, name, version, value);
            return ChangeOutcome<SecretSetResponse>.Accepted(new SecretSetResponse(name, version));
        });

    /// <summary>Removes a secret and all its versions (releases that mounted it can no longer be restored with it).</summary>
    public Task<ChangeOutcome<SecretSetResponse>> UnsetSecretAsync(string app, string environment, string name, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (record, resource, refusal) = await OpenAsync(app, environment, null, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Fail<SecretSetResponse>(refusal);
            }
            if (!record!.Secrets.ContainsKey(name))
            {
                return ChangeOutcome<SecretSetResponse>.Missing($"{environment} of '{app}' has no secret '{name}': 'gantry secrets {app} --env {environment}' lists them");
            }
            var secrets = record.Secrets.Where(s => s.Key != name).ToDictionary(StringComparer.Ordinal);
            await SaveAsync(record with { Secrets = new SortedDictionary<string, IReadOnlyList<SecretVersion>>(secrets, StringComparer.Ordinal) }, resource, ct).ConfigureAwait(false);
            return ChangeOutcome<SecretSetResponse>.Accepted(new SecretSetResponse(name, 0));
        });

    /// <summary>The app's recorded environments (production only when something was set on it).</summary>
    public async Task<IReadOnlyList<EnvironmentRecord>> RecordsAsync(string app, CancellationToken ct) =>
        [.. (await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false)).Select(Read).Where(r => r.App == app)];

    /// <summary>Every environment with a gate, for the auto-promotion (docs/decisions/0032).</summary>
    public async Task<IReadOnlyList<EnvironmentRecord>> GatedAsync(CancellationToken ct) =>
        [.. (await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false)).Select(Read).Where(r => r.Gate is not null)];

    /// <summary>Sets (or, with null, removes) what follows a release going live in <paramref name="environment"/> (docs/decisions/0032).</summary>
    public Task<ChangeOutcome<EnvironmentView>> SetGateAsync(string app, string environment, PromotionGate? gate, string? team, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (record, resource, refusal) = await OpenAsync(app, environment, team, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Fail<EnvironmentView>(refusal);
            }
            if (gate is not null)
            {
                var others = (await RecordsAsync(app, ct).ConfigureAwait(false)).Where(r => r.Name != environment).ToList();
                var error = record!.Preview is not null || others.Any(r => r.Name == gate.To && r.Preview is not null)
                    ? "previews are made and removed by pushes of their branches: gate the push environment (staging) instead"
                    : PromotionGate.Check(app, environment, gate, others.Where(r => r.Gate is not null).ToDictionary(r => r.Name, r => r.Gate!, StringComparer.Ordinal));
                if (error is not null)
                {
                    return ChangeOutcome<EnvironmentView>.Invalid([new Diagnostic("error", "gate", 0, 0, environment, error)]);
                }
            }
            if (record!.Gate != gate || resource is null)
            {
                await SaveAsync(record with { Gate = gate }, resource, ct).ConfigureAwait(false);
            }
            return ChangeOutcome<EnvironmentView>.Accepted((await ListAsync(app, ct).ConfigureAwait(false))!.First(v => v.Name == environment));
        });

    /// <summary>Records the environment if it is new (a first push to it); null when it may be used, else why not.</summary>
    public Task<string?> EnsureAsync(string app, string environment, string? team, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (record, resource, refusal) = await OpenAsync(app, environment, team, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal[(refusal.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            if (resource is null)
            {
                await SaveAsync(record!, null, ct).ConfigureAwait(false);
            }
            return (string?)null;
        });

    /// <summary>
    /// What a deploy into <paramref name="instance"/> takes from its environment: the variables, and for each secret declared
    /// `external: true` the newest version's file (opened now). Null when the instance has no environment recorded.
    /// </summary>
    public async Task<EnvironmentInputs?> InputsForAsync(string instance, CancellationToken ct)
    {
        var record = await ForInstanceAsync(instance, ct).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }
        // A preview takes its base environment's variables and secrets where it has none of its own.
        var inherited = record.Preview is { } preview
            ? await ForInstanceAsync(EnvironmentNames.InstanceOf(record.App, preview.Base), ct).ConfigureAwait(false)
            : null;
        var variables = inherited is null ? record.Variables
            : new SortedDictionary<string, string>(inherited.Variables.Concat(record.Variables).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value), StringComparer.Ordinal);
        return new EnvironmentInputs(record.App, record.Name, variables, name =>
        {
            var from = EnvironmentEdits.Newest(record, name) is not null ? record : inherited;
            if (from is null || EnvironmentEdits.Newest(from, name) is not { } newest)
            {
                return null;
            }
            var value = box.Open(newest.Sealed, SecretBox.PlaceOf(from.App, from.Name, name, newest.Version))
                ?? throw new InvalidOperationException($"secret '{name}' v{newest.Version} of {from.Name} cannot be opened with the key ring (a key was removed from secrets.key?)");
            return (files.Write(from.Instance, name, newest.Version, value), newest.Version);
        }) { Preview = record.Preview };
    }

    /// <summary>
    /// Records a branch's preview environment, or marks the push of one it has: null when it may be deployed, else why not
    /// (the names, or an app by the preview's name that is not it).
    /// </summary>
    public Task<string?> EnsurePreviewAsync(string app, string environment, PreviewSpec preview, string? team, CancellationToken ct) =>
        OptimisticRetry.RunAsync(async () =>
        {
            var (record, resource, refusal) = await OpenAsync(app, environment, team, ct).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal[(refusal.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            await SaveAsync(record! with { Preview = preview with { PushedAt = time.GetUtcNow() } }, resource, ct).ConfigureAwait(false);
            return (string?)null;
        });

    /// <summary>Every recorded preview environment.</summary>
    public async Task<IReadOnlyList<EnvironmentRecord>> PreviewsAsync(CancellationToken ct) =>
        [.. (await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false)).Select(Read).Where(r => r.Preview is not null)];

    /// <summary>Forgets a preview environment's record (its instance is removed by the caller, as `gantry rm` does).</summary>
    public Task ForgetAsync(EnvironmentRecord record, CancellationToken ct) =>
        store.DeleteAsync(EnvironmentRecord.Kind, record.Instance, ct: ct);

    /// <summary>
    /// At start: writes every version's file again (the in-memory directory is empty after a reboot, and a rollback needs the
    /// old versions), and re-seals values sealed with a key that is no longer the current one (the rotation's second half).
    /// Returns how many were re-sealed and the names of those that could not be opened.
    /// </summary>
    public async Task<(int Resealed, IReadOnlyList<string> Unreadable)> RestoreAsync(CancellationToken ct)
    {
        var resealed = 0;
        var unreadable = new List<string>();
        foreach (var resource in await store.ListAsync(EnvironmentRecord.Kind, ct).ConfigureAwait(false))
        {
            var record = Read(resource);
            var changed = false;
            var secrets = new SortedDictionary<string, IReadOnlyList<SecretVersion>>(StringComparer.Ordinal);
            foreach (var (name, versions) in record.Secrets)
            {
                var kept = new List<SecretVersion>();
                foreach (var version in versions)
                {
                    var place = SecretBox.PlaceOf(record.App, record.Name, name, version.Version);
                    if (box.Open(version.Sealed, place) is not { } value)
                    {
                        unreadable.Add($"{record.Instance}/{name}.v{version.Version}");
                        kept.Add(version);
                        continue;
                    }
                    files.Write(record.Instance, name, version.Version, value);
                    if (box.IsSealedWithOldKey(version.Sealed))
                    {
                        kept.Add(version with { Sealed = box.Seal(value, place) });
                        changed = true;
                        resealed++;
                    }
                    else
                    {
                        kept.Add(version);
                    }
                }
                secrets[name] = kept;
            }
            if (changed)
            {
                await store.UpsertSpecAsync(EnvironmentRecord.Kind, resource.Name, Json(record with { Secrets = secrets }), resource.ResourceVersion, ct).ConfigureAwait(false);
            }
        }
        return (resealed, unreadable);
    }

    /// <summary>
    /// The environment's record, new if it has none yet; refused when its instance name is an app that is not this environment
    /// (an app someone named `hello-staging` by hand), or the names are not valid.
    /// </summary>
    private async Task<(EnvironmentRecord? Record, StoredResource? Resource, string? Refusal)> OpenAsync(string app, string environment, string? team, CancellationToken ct)
    {
        if (!Names.IsValidAppName(app))
        {
            return (null, null, $"invalid:'{app}' is not a valid app name");
        }
        if (EnvironmentNames.Check(app, environment) is { } error)
        {
            return (null, null, "invalid:" + error);
        }
        var instance = EnvironmentNames.InstanceOf(app, environment);
        var resource = await store.GetAsync(EnvironmentRecord.Kind, instance, ct).ConfigureAwait(false);
        if (resource is not null)
        {
            var record = Read(resource);
            return record.App == app && record.Name == environment ? (record, resource, null)
                : (null, null, $"conflict:'{instance}' is environment '{record.Name}' of app '{record.App}', not '{environment}' of '{app}': choose another environment name");
        }
        if (environment != EnvironmentNames.Production && await store.GetAppAsync(instance, ct).ConfigureAwait(false) is not null)
        {
            return (null, null, $"conflict:an app named '{instance}' already exists and is not an environment of '{app}': remove it ('gantry rm {instance}') or choose another environment name");
        }
        var owner = await store.TeamOfAsync(app, ct).ConfigureAwait(false) ?? team;
        return (new EnvironmentRecord { App = app, Name = environment, Team = owner }, null, null);
    }

    private async Task SaveAsync(EnvironmentRecord record, StoredResource? resource, CancellationToken ct)
    {
        if (resource is null)
        {
            await store.CreateAsync(EnvironmentRecord.Kind, record.Instance, Json(record), ct).ConfigureAwait(false);
        }
        else
        {
            await store.UpsertSpecAsync(EnvironmentRecord.Kind, record.Instance, Json(record), resource.ResourceVersion, ct).ConfigureAwait(false);
        }
    }

    private static ChangeOutcome<T> Fail<T>(string refusal) where T : class
    {
        var colon = refusal.IndexOf(':', StringComparison.Ordinal);
        var (kind, message) = (refusal[..colon], refusal[(colon + 1)..]);
        return kind == "invalid" ? ChangeOutcome<T>.Invalid([new Diagnostic("error", "environment", 0, 0, "", message)]) : ChangeOutcome<T>.Conflict(message);
    }

    private static EnvironmentRecord Read(StoredResource resource) =>
        JsonSerializer.Deserialize(resource.SpecJson, ModelJsonContext.Default.EnvironmentRecord)!;

    private static string Json(EnvironmentRecord record) => JsonSerializer.Serialize(record, ModelJsonContext.Default.EnvironmentRecord);
}

/// <summary>What a deploy into an environment's instance takes from it.</summary>
/// <param name="Secret">A secret's file and version by name (null when the environment has none by that name).</param>
/// <param name="App">The app the environment belongs to (a new instance joins that app's team).</param>
public sealed record EnvironmentInputs(string App, string Name, IReadOnlyDictionary<string, string> Variables, Func<string, (string File, long Version)?> Secret)
{
    /// <summary>Set for a branch's preview: its routes answer on its own host name (<see cref="PreviewNames.RewriteHosts"/>).</summary>
    public PreviewSpec? Preview { get; init; }
}
