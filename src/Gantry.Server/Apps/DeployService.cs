using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.Compose;
using Gantry.Controllers.Apps;
using Gantry.Controllers.Engine;
using Gantry.Controllers.Resources;
using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Store;
using DeployOutcome = Gantry.Server.Apps.ChangeOutcome<Gantry.Model.Api.DeployResponse>;

namespace Gantry.Server.Apps;

/// <summary>
/// Turns a deploy request into a new generation of an app's desired state, or into a refusal that
/// says exactly why. Everything is checked before anything is stored: a refused deploy changes nothing.
/// </summary>
public sealed partial class DeployService(IResourceStore store, IEngineDriver engine, ServerOptions options, Releases.ReleaseService releases, Controllers.Releases.ReleaseBook book,
    Environments.EnvironmentService environments)
{
    private NodeCapacity? _node;

    /// <summary>Loads and checks the compose files of an unpacked bundle, then stores the app (unless a dry run).</summary>
    /// <param name="source">The commit a `git push` deployed (Git/): recorded in the release, and built images are tagged with it.</param>
    /// <param name="images">A promotion's images (Environments/Promotion): by service, the image id to run instead of building.</param>
    /// <param name="build">
    /// A push's build step (Builds/, docs/decisions/0025): run once every check passed and before anything is stored, with the
    /// spec whose `build:` services it builds; their images are then pinned by id, so the controller builds nothing. A build
    /// that fails or is cancelled refuses the deploy: no release is made.
    /// </param>
    public async Task<DeployOutcome> DeployAsync(string app, DeployRequest request, string bundleDirectory, Identity.Principal caller, CancellationToken ct,
        Model.Releases.ReleaseSource? source = null, IReadOnlyDictionary<string, string>? images = null,
        Func<AppSpec, CancellationToken, Task<Builds.BuildResult>>? build = null)
    {
        if (!Names.IsValidAppName(app))
        {
            return DeployOutcome.Invalid([new Diagnostic("error", "--app", 0, 0, "", $"'{app}' is not a valid app name: use lower-case letters, digits, '-' and '_', starting with a letter or digit (at most 63)")]);
        }
        // An environment's instance takes the environment's variables and secrets; a new one joins its app's team.
        var environment = await environments.InputsForAsync(app, ct).ConfigureAwait(false);
        var askedTeam = request.Team;
        if (environment is not null && askedTeam is null && await store.GetAppAsync(app, ct).ConfigureAwait(false) is null)
        {
            askedTeam = await Environments.EnvironmentInstances.TeamOfAsync(store, environment.App, ct).ConfigureAwait(false);
        }
        var (team, teamRefusal) = await ChooseTeamAsync(app, askedTeam, caller, ct).ConfigureAwait(false);
        if (teamRefusal is not null)
        {
            return teamRefusal;
        }
        // Only an admin hands a container power over the host: for anyone else the admin's allow-lists do not apply.
        var nonAdmin = caller.IsAdmin ? null : caller.Describe();
        var sources = new List<ComposeSource>();
        var missing = new List<Diagnostic>();
        foreach (var file in request.Files)
        {
            var path = Bundles.BundlePath.Resolve(bundleDirectory, file).RealPath;
            if (path is null || !Bundles.BundlePath.IsRegularFile(path))
            {
                missing.Add(new Diagnostic("error", file, 0, 0, "", "compose file not found in the uploaded project directory (or it is a link leading out of it)"));
            }
            sources.Add(new ComposeSource(path ?? Path.Combine(bundleDirectory, file)));
        }
        if (missing.Count > 0)
        {
            return DeployOutcome.Invalid(missing);
        }

        // The engine's platform, for services that name one; an engine that does not answer skips that check only, so the
        // files' own errors are still reported (the resource guard below reports the engine).
        string? enginePlatform = null;
        try
        {
            _node ??= await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
            enginePlatform = _node.Platform;
        }
        catch (EngineException)
        {
        }
        // The environment's variables win over the caller's shell.
        if (environment is not null)
        {
            var merged = request.Variables.ToDictionary(StringComparer.Ordinal);
            foreach (var (key, value) in environment.Variables)
            {
                merged[key] = value;
            }
            request = request with { Variables = merged, Environment = environment.Name };
        }
        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = sources,
            ProjectName = app,
            WorkingDirectory = bundleDirectory,
            Environment = request.Variables,
            Profiles = request.Profiles,
            TargetEnvironment = request.Environment,
            // Host access is closed by default: only the bundle, plus what the admin allowed (issue 15).
            HostPaths = new Gantry.Compose.HostPaths.HostPathPolicy { ProjectRoot = bundleDirectory, AllowedPaths = options.AllowedHostPaths, NonAdminCaller = nonAdmin },
            // Privileged keys only for the apps the admin named (issue 16, docs/decisions/0009).
            Privilege = new Gantry.Compose.Privilege.PrivilegePolicy { AllowedApps = options.AllowPrivilege, NonAdminCaller = nonAdmin },
            // A service's `platform` is checked against what this engine runs (issue 16).
            EnginePlatform = enginePlatform,
            // Files are read by real path inside the bundle; anything else reaches here only when the host path policy allowed it.
            ReadFile = path => Bundles.BundlePath.ReadText(bundleDirectory, path) ?? ReadVettedHostFile(path),
        });
        var diagnostics = result.Diagnostics.Select(d => ToApi(d, bundleDirectory)).ToList();
        if (!result.Succeeded || result.App is null)
        {
            return DeployOutcome.Invalid(diagnostics.Where(d => d.Severity == "error").ToList());
        }
        // The default team is left unnamed (null), as apps deployed before teams have it: their stored specs stay byte for byte.
        var spec = result.App with { Name = app, Environment = request.Environment, Team = team == AppSpec.DefaultTeam ? null : team };
        if (source is not null)
        {
            spec = Git.CommitImageTags.Apply(spec, source);
        }
        if (environment?.Preview is { } preview)
        {
            // A branch's preview answers on its own host name, whatever hosts the compose file names.
            spec = Model.Environments.PreviewNames.RewriteHosts(spec, preview.Host);
        }
        var warnings = diagnostics.Where(d => d.Severity != "error").ToList();

        if (images is not null)
        {
            // Promotion: the very images the other environment runs, by id; nothing is built again.
            spec = spec with { Services = spec.Services.Select(s => images.TryGetValue(s.Name, out var id) ? s with { Image = id, Build = null } : s).ToList() };
        }
        var (files, fileErrors, fileWarnings) = FileObjects.Prepare(spec, bundleDirectory, Path.GetRelativePath(bundleDirectory, sources[0].Path), environment);
        if (fileErrors.Count > 0)
        {
            return DeployOutcome.Invalid(fileErrors);
        }
        spec = files;
        warnings.AddRange(fileWarnings);
        (spec, var contextErrors) = BuildContexts.Resolve(spec, bundleDirectory, Path.GetRelativePath(bundleDirectory, sources[0].Path));
        if (contextErrors.Count > 0)
        {
            return DeployOutcome.Invalid(contextErrors);
        }

        var floating = FloatingImages(spec, sources, bundleDirectory);
        if (floating.Count > 0)
        {
            return DeployOutcome.Invalid(floating);
        }
        var imageErrors = await CheckImagesAsync(spec, sources, bundleDirectory, ct).ConfigureAwait(false);
        if (imageErrors.Count > 0)
        {
            return DeployOutcome.Invalid(imageErrors);
        }
        spec = await PinImagesAsync(spec, ct).ConfigureAwait(false);
        var existing = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        spec = Controllers.Autoscaling.AutoscaledCounts.Keep(spec, existing?.Spec);

        var others = (await store.ListOtherAppsAsync(app, ct).ConfigureAwait(false)).Select(a => a.Spec).ToList();
        // Routes are owned (issue 15): a host and path another app routes is refused here, a dry run included.
        var taken = Routing.RouteOwnership.Check(spec, others);
        if (taken.Count > 0)
        {
            return DeployOutcome.Invalid(taken.Select(c => LocateExtension(sources, bundleDirectory, c.ToString())).ToList());
        }
        var verdict = await CheckPlacementAsync(spec, existing?.Spec, others, ct).ConfigureAwait(false);
        spec = verdict.Spec;
        if (!verdict.Allowed)
        {
            await store.AppendEventAsync(new NewEvent(AppKinds.App, app, "Warning", EventReasons.DeployRefused, verdict.Reason!, app), ct).ConfigureAwait(false);
            return DeployOutcome.Refused(verdict.Reason!);
        }
        var check = Releases.DeployCheck.Run(spec, existing?.Spec, existing?.Status, others, _node!, options.Controller.Defaults);
        if (check.Refusal is not null)
        {
            await store.AppendEventAsync(new NewEvent(AppKinds.App, app, "Warning", EventReasons.DeployRefused, check.Refusal, app), ct).ConfigureAwait(false);
            return DeployOutcome.Refused(check.Refusal);
        }
        var plan = check.Plan;
        var composeFile = Path.GetRelativePath(bundleDirectory, sources[0].Path);
        warnings.AddRange(check.Warnings.Select(w => w with { File = composeFile }));
        warnings.AddRange(verdict.Notes.Select(n => new Diagnostic("warning", composeFile, 0, 0, $"services.{n.Service}", n.Text)));
        if (request.DryRun)
        {
            return DeployOutcome.Accepted(new DeployResponse(app, 0, false) { Warnings = warnings, Plan = plan });
        }
        if (build is not null && spec.Services.Any(s => (s.Build is not null && s.PinnedImage is null) || s.Test is not null))
        {
            var built = await build(spec, ct).ConfigureAwait(false);
            if (!built.Succeeded)
            {
                return DeployOutcome.Refused($"build {built.Number} {built.State}: {built.Message}");
            }
            spec = spec with { Services = spec.Services.Select(s => built.Images.TryGetValue(s.Name, out var id) ? s with { PinnedImage = id } : s).ToList() };
        }
        return await OptimisticRetry.RunAsync(() => StoreAsync(spec, warnings, plan, caller.Name, ct, source: source)).ConfigureAwait(false);
    }

    /// <summary>
    /// The team the app is in: an existing app's own (a deploy naming another is refused), or for a new app the one asked
    /// for, else the caller's only team where it may deploy ("default" for an admin). The caller must be a deployer there.
    /// </summary>
    private async Task<(string Team, DeployOutcome? Refusal)> ChooseTeamAsync(string app, string? asked, Identity.Principal caller, CancellationToken ct)
    {
        var existing = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        string team;
        if (existing is not null)
        {
            team = existing.Spec.TeamName;
            if (asked is not null && asked != team)
            {
                return (team, DeployOutcome.Refused($"app '{app}' belongs to team '{team}'; a deploy cannot move it to team '{asked}' (leave --team out, or deploy under another app name)"));
            }
        }
        else if (asked is not null)
        {
            team = asked;
            if (await store.GetAsync(Identity.IdentityKinds.Team, team, ct).ConfigureAwait(false) is null)
            {
                return (team, DeployOutcome.Missing($"team '{team}' does not exist: an admin creates it with 'gantry teams add {team}'"));
            }
        }
        else
        {
            var deployable = caller.Teams.Where(t => t.Value >= Model.Api.Identity.Role.Deployer).Select(t => t.Key).OrderBy(t => t, StringComparer.Ordinal).ToList();
            if (caller.IsAdmin || deployable.Count == 0)
            {
                team = AppSpec.DefaultTeam;
            }
            else if (deployable.Count == 1)
            {
                team = deployable[0];
            }
            else
            {
                return ("", DeployOutcome.Refused($"you deploy to several teams ({string.Join(", ", deployable)}): choose the new app's team with --team"));
            }
        }
        if (!caller.Can(team, Model.Api.Identity.Role.Deployer))
        {
            return (team, DeployOutcome.Forbidden(existing is null
                ? $"deploying a new app into team '{team}' needs the deployer role there; you are {caller.Describe()}"
                : $"deploying app '{app}' needs the deployer role in team '{team}'; you are {caller.Describe()}"));
        }
        return (team, null);
    }

    private async Task<DeployOutcome> StoreAsync(AppSpec spec, IReadOnlyList<Diagnostic> warnings, IReadOnlyList<string> plan, string actor, CancellationToken ct, long? expectedVersion = null, string? scaled = null,
        string scaleReason = EventReasons.Scaled, Model.Releases.ReleaseSource? source = null)
    {
        var before = await store.GetAppAsync(spec.Name, ct).ConfigureAwait(false);
        if (before is { IsBeingDeleted: true })
        {
            return DeployOutcome.Conflict($"app '{spec.Name}' is being removed; wait until 'gantry apps' no longer lists it, then deploy again");
        }
        // The cursor is taken before the write, so a follower sees every event the change causes.
        var newest = await store.ListEventsAsync(new EventQuery { App = spec.Name, Newest = true, Limit = 1 }, ct).ConfigureAwait(false);
        var cursor = newest.Count > 0 ? newest[^1].Id : 0;
        // The release, the app and the events are one write: the controller wakes once, to all of it.
        var batch = new StoreBatch();
        var current = before?.Spec;
        var appWrite = 0;
        Model.Releases.ReleaseRecord? release = null;
        if (scaled is not null || (current is not null && Releases.ReleaseService.SameState(current, spec) && SameScale(current, spec) && SamePins(current, spec)))
        {
            // Scaling is not a release, and neither is deploying exactly what runs.
            batch.UpsertSpec(AppKinds.App, spec.Name, StoredApp.Json(spec with { Release = current?.Release ?? spec.Release }), expectedVersion);
        }
        else
        {
            release = releases.AddRelease(batch, spec, source is null ? Model.Releases.ReleaseCauses.Deploy : Model.Releases.ReleaseCauses.GitPush, actor, null, null, expectedVersion,
                await book.ListAsync(spec.Name, ct).ConfigureAwait(false), source);
            appWrite = Releases.ReleaseService.AppWrite;
        }
        batch.AppendEvent(scaled is null
            ? new NewEvent(AppKinds.App, spec.Name, EventTypes.Normal, EventReasons.DeployAccepted, $"deploy of {spec.Name} accepted{(release is null ? "" : $" as release {release.Number}")}", spec.Name)
            : new NewEvent(AppKinds.App, spec.Name, EventTypes.Normal, scaleReason, scaled, spec.Name));
        var stored = (await store.CommitAsync(batch, ct).ConfigureAwait(false)).Resources[appWrite]!;
        return DeployOutcome.Accepted(new DeployResponse(spec.Name, stored.Generation, before is null || stored.Generation != before.Resource.Generation)
        {
            Release = release?.Number,
            EventCursor = cursor,
            Warnings = warnings,
            Plan = plan,
        });
    }

    /// <summary>
    /// A file outside the bundle. The loader's host path guard has already refused every path (by real path, with the
    /// socket and root rules) that is not an admin-allowed one before asking, so this only reads.
    /// </summary>
    private static string? ReadVettedHostFile(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static bool SameScale(AppSpec a, AppSpec b) =>
        a.Services.Select(s => s.Replicas).SequenceEqual(b.Services.Select(s => s.Replicas));

    private static bool SamePins(AppSpec a, AppSpec b) =>
        a.Services.Select(s => s.PinnedImage).SequenceEqual(b.Services.Select(s => s.PinnedImage));

    private static List<string> DescribePlan(AppSpec spec) =>
        spec.Services.Select(s =>
            $"{s.Name}: {s.Replicas} x {s.Image ?? "(built)"}{(s.Build is not null ? " (built from " + Path.GetFileName(s.Build.Context) + ")" : "")}, " +
            $"memory {(s.Resources.MemoryLimitBytes is { } m ? Bytes.Format(m) : "default")}, cpus {(s.Resources.NanoCpus is { } c ? (c / 1e9).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "default")}").ToList();

    private static Diagnostic ToApi(ComposeDiagnostic d, string root) =>
        new(d.Severity.ToString().ToLowerInvariant(), Path.IsPathRooted(d.File) ? Path.GetRelativePath(root, d.File) : d.File, d.Line, d.Column, d.Path, d.Message);
}
