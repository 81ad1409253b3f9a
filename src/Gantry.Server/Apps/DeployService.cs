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
public sealed class DeployService(IResourceStore store, IEngineDriver engine, ServerOptions options, Releases.ReleaseService releases, Controllers.Releases.ReleaseBook book,
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

    /// <summary>
    /// The resource guard for where the app will run: on a cluster (the engine is a Swarm manager) <see cref="ClusterGuard"/>
    /// counts each node's room with the numbers per node; on one engine <see cref="ResourceGuard"/> counts that engine. Either
    /// way <see cref="_node"/> is then the capacity the pre-deploy check uses (the cluster's total, read again on every deploy
    /// because nodes come and go). On a cluster the spec comes back with its stateful services pinned to a node
    /// (<see cref="Controllers.Swarm.VolumePins"/>, kept from <paramref name="previous"/> where it pinned them), and its routed
    /// services scaled in given a fresh set (<see cref="Controllers.Swarm.FreshSets"/>); the notes say both.
    /// </summary>
    private async Task<(bool Allowed, string? Reason, AppSpec Spec, IReadOnlyList<Controllers.Swarm.FreshSets.Note> Notes)> CheckPlacementAsync(
        AppSpec spec, AppSpec? previous, IEnumerable<AppSpec> others, CancellationToken ct)
    {
        var cluster = await engine.GetClusterNodesAsync(spec.Name, ct).ConfigureAwait(false);
        var (renewed, notes) = Controllers.Swarm.FreshSets.Apply(spec, previous, cluster is not null);
        if (cluster is not null)
        {
            _node = await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
            var unsupported = Controllers.Swarm.SwarmSupport.Unsupported(renewed, options.RegistryAddress is not null);
            if (unsupported.Count > 0)
            {
                return (false, $"deploy of '{spec.Name}' refused: the server's engine is a Swarm manager, and on a cluster: {string.Join("; ", unsupported)}", spec, []);
            }
            var (pinned, pins) = Controllers.Swarm.VolumePins.Apply(renewed, previous, cluster);
            var placed = ClusterGuard.Check(pinned, cluster, options.Controller.Defaults);
            return (placed.Allowed, placed.Reason, pinned, [.. pins.Select(p => new Controllers.Swarm.FreshSets.Note(p.Service, p.Describe())), .. notes]);
        }
        if (_node is null or { Name: "cluster" })
        {
            _node = await engine.GetNodeCapacityAsync(ct).ConfigureAwait(false);
        }
        var verdict = ResourceGuard.Check(renewed, others, _node, options.Controller.Defaults);
        return (verdict.Allowed, verdict.Reason, renewed, notes);
    }

    /// <summary>Changes replica counts of an existing app, through the same guard as a deploy.</summary>
    /// <remarks>Optimistic concurrency: the controller writes status all the time, so a scale re-reads and retries on a version conflict.</remarks>
    public Task<DeployOutcome> ScaleAsync(string app, IReadOnlyDictionary<string, int> replicas, CancellationToken ct) =>
        OptimisticRetry.RunAsync(() => TryScaleAsync(app, replicas, null, ct));

    /// <summary>
    /// The autoscaler's change of one service's count: the same guard and write as <see cref="ScaleAsync"/>, recorded as an
    /// <see cref="EventReasons.Autoscaled"/> event whose message carries the numbers that made the decision.
    /// </summary>
    public Task<DeployOutcome> AutoscaleAsync(string app, string service, int count, string why, CancellationToken ct) =>
        OptimisticRetry.RunAsync(() => TryScaleAsync(app, new Dictionary<string, int> { [service] = count }, why, ct));

    private async Task<DeployOutcome> TryScaleAsync(string app, IReadOnlyDictionary<string, int> replicas, string? autoscaled, CancellationToken ct)
    {
        var stored = await store.GetAppAsync(app, ct).ConfigureAwait(false);
        if (stored is null || stored.IsBeingDeleted)
        {
            return DeployOutcome.Missing($"app '{app}' does not exist");
        }
        var spec = stored.Spec;
        var errors = new List<Diagnostic>();
        foreach (var (service, count) in replicas)
        {
            if (spec.FindService(service) is null)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, $"app '{app}' has no service '{service}'; it has: {string.Join(", ", spec.Services.Select(s => s.Name))}"));
            }
            else if (count is < 0 or > 1000)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, $"{count} is not a valid replica count (0 to 1000)"));
            }
            else if (autoscaled is null && Controllers.Autoscaling.AutoscaledCounts.RefuseManual(spec.FindService(service)!, count) is { } refusal)
            {
                errors.Add(new Diagnostic("error", "scale", 0, 0, service, refusal));
            }
        }
        if (errors.Count > 0)
        {
            return DeployOutcome.Invalid(errors);
        }
        var scaled = spec with { Services = spec.Services.Select(s => replicas.TryGetValue(s.Name, out var n) ? s with { Replicas = n } : s).ToList() };
        var others = (await store.ListOtherAppsAsync(app, ct).ConfigureAwait(false)).Select(a => a.Spec);
        var verdict = await CheckPlacementAsync(scaled, spec, others, ct).ConfigureAwait(false);
        if (!verdict.Allowed)
        {
            return DeployOutcome.Refused(verdict.Reason!.Replace("deploy of", "scaling of", StringComparison.Ordinal));
        }
        scaled = verdict.Spec;
        var change = "scaled " + string.Join(", ", replicas.Select(kv => $"{kv.Key}={kv.Value}"));
        var notes = verdict.Notes.Where(n => n.Scale).Select(n => new Diagnostic("warning", "scale", 0, 0, $"services.{n.Service}", n.Text)).ToList();
        return await StoreAsync(scaled, notes, DescribePlan(scaled), "", ct, stored.Resource.ResourceVersion,
            autoscaled is null ? change : $"autoscaler {change}: {autoscaled}", autoscaled is null ? EventReasons.Scaled : EventReasons.Autoscaled).ConfigureAwait(false);
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

    /// <summary>Resolves every pulled image's tag to the id it names now: the release runs exactly that, whatever the tag points at later.</summary>
    private async Task<AppSpec> PinImagesAsync(AppSpec spec, CancellationToken ct)
    {
        var services = new List<ServiceSpec>();
        foreach (var service in spec.Services)
        {
            services.Add(service.Build is null && service.Image is not null
                ? service with { PinnedImage = await engine.GetImageIdAsync(service.Image, ct).ConfigureAwait(false) }
                : service);
        }
        return spec with { Services = services };
    }

    private static List<string> DescribePlan(AppSpec spec) =>
        spec.Services.Select(s =>
            $"{s.Name}: {s.Replicas} x {s.Image ?? "(built)"}{(s.Build is not null ? " (built from " + Path.GetFileName(s.Build.Context) + ")" : "")}, " +
            $"memory {(s.Resources.MemoryLimitBytes is { } m ? Bytes.Format(m) : "default")}, cpus {(s.Resources.NanoCpus is { } c ? (c / 1e9).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "default")}").ToList();

    /// <summary>
    /// In production a release must say which version it runs: `latest` (or no tag) floats, so a later
    /// deploy, restart or rollback could silently run something else. A version tag or a digest pins it.
    /// </summary>
    private static List<Diagnostic> FloatingImages(AppSpec spec, IReadOnlyList<ComposeSource> sources, string root)
    {
        var errors = new List<Diagnostic>();
        if (!string.Equals(spec.Environment, "production", StringComparison.Ordinal))
        {
            return errors;
        }
        foreach (var service in spec.Services.Where(s => s.Build is null && s.Image is not null && !s.Image.Contains('@', StringComparison.Ordinal)))
        {
            var image = service.Image!;
            var name = image[(image.LastIndexOf('/') + 1)..];
            var tag = name.Contains(':', StringComparison.Ordinal) ? name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
            if (tag is null or "latest")
            {
                var (file, line, column) = Locate(sources, root, service.Name, image);
                errors.Add(new Diagnostic("error", file, line, column, $"services.{service.Name}.image",
                    $"'{image}' floats ({(tag is null ? "no tag means latest" : "latest")}), which production refuses: pin a version tag or a digest " +
                    $"(image: {(tag is null ? image : image[..^(tag.Length + 1)])}:1.4 or ...@sha256:...), or deploy to another environment (--env staging)"));
            }
        }
        return errors;
    }

    /// <summary>Every image a service runs without building must be on the engine or pullable: an unknown image deploys nothing.</summary>
    private async Task<List<Diagnostic>> CheckImagesAsync(AppSpec spec, IReadOnlyList<ComposeSource> sources, string root, CancellationToken ct)
    {
        var errors = new List<Diagnostic>();
        foreach (var service in spec.Services.Where(s => s.Build is null && s.Image is not null))
        {
            // pull_policy (issue 16): 'never' does not pull at all, 'always' pulls even what the engine has; the rest pull what is missing.
            var present = await engine.GetImageIdAsync(service.Image!, ct).ConfigureAwait(false) is not null;
            if (service.PullPolicy == "never")
            {
                if (!present)
                {
                    var (neverFile, neverLine, neverColumn) = Locate(sources, root, service.Name, service.Image!);
                    errors.Add(new Diagnostic("error", neverFile, neverLine, neverColumn, $"services.{service.Name}.image",
                        $"image '{service.Image}' is not on the engine and pull_policy is 'never': load or build it on the engine first, or remove pull_policy"));
                }
                continue;
            }
            if (present && service.PullPolicy != "always")
            {
                continue;
            }
            string reason;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.ImagePullTimeout);
                await engine.PullImageAsync(service.Image!, timeout.Token).ConfigureAwait(false);
                if (await engine.GetImageIdAsync(service.Image!, ct).ConfigureAwait(false) is not null)
                {
                    continue;
                }
                reason = "the pull finished but the engine still does not have it";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                reason = $"pulling it did not finish within {options.ImagePullTimeout.TotalSeconds:0} s";
            }
            catch (EngineException e)
            {
                reason = e.Message;
            }
            var (file, line, column) = Locate(sources, root, service.Name, service.Image!);
            errors.Add(new Diagnostic("error", file, line, column, $"services.{service.Name}.image", present
                ? $"pull_policy is 'always' but pulling '{service.Image}' failed ({reason}): the engine's copy may be old. Fix the registry, or use pull_policy: missing to run the copy the engine has"
                : $"unknown image '{service.Image}': it is not on the engine and could not be pulled ({reason}). Build it locally, push it to Gantry's registry, or add a build section"));
        }
        return errors;
    }

    /// <summary>Finds the line that names the image, so the error points at it.</summary>
    private static (string File, int Line, int Column) Locate(IReadOnlyList<ComposeSource> sources, string root, string service, string image)
    {
        var pattern = new Regex(@"^\s*image\s*:\s*[""']?" + Regex.Escape(image) + @"[""']?\s*(#.*)?$");
        foreach (var source in sources.Reverse())
        {
            var lines = File.ReadAllLines(source.Path);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = pattern.Match(lines[i]);
                if (match.Success)
                {
                    return (Path.GetRelativePath(root, source.Path), i + 1, lines[i].IndexOf("image", StringComparison.Ordinal) + 1);
                }
            }
        }
        return (Path.GetRelativePath(root, sources[0].Path), 0, 0);
    }

    /// <summary>Points a route ownership refusal at the line of the claiming service's x-gantry key.</summary>
    private static Diagnostic LocateExtension(IReadOnlyList<ComposeSource> sources, string root, string error)
    {
        var path = error[..error.IndexOf(": ", StringComparison.Ordinal)];
        var message = error[(path.Length + 2)..];
        var service = path.Split('.')[1];
        foreach (var source in sources.Reverse())
        {
            var lines = File.ReadAllLines(source.Path);
            var inService = false;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                var indent = lines[i].Length - trimmed.Length;
                if (indent == 2 && trimmed.StartsWith(service + ":", StringComparison.Ordinal))
                {
                    inService = true;
                }
                else if (inService && indent <= 2 && trimmed.Length > 0 && !trimmed.StartsWith('#'))
                {
                    inService = false;
                }
                if (inService && trimmed.StartsWith("x-gantry:", StringComparison.Ordinal))
                {
                    return new Diagnostic("error", Path.GetRelativePath(root, source.Path), i + 1, indent + 1, path, message);
                }
            }
        }
        return new Diagnostic("error", Path.GetRelativePath(root, sources[0].Path), 0, 0, path, message);
    }

    private static Diagnostic ToApi(ComposeDiagnostic d, string root) =>
        new(d.Severity.ToString().ToLowerInvariant(), Path.IsPathRooted(d.File) ? Path.GetRelativePath(root, d.File) : d.File, d.Line, d.Column, d.Path, d.Message);
}
