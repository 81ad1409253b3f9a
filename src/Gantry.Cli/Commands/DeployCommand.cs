using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Bundles;
using Gantry.Cli.Output;
using Gantry.Cli.Rollout;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry deploy`: uploads the project directory and compose files, then follows the rollout
/// per service until the new generation runs, fails, or the timeout passes.
/// </summary>
public static class DeployCommand
{
    /// <summary>What `gantry deploy` was asked for.</summary>
    public sealed record DeployOptions(string App, IReadOnlyList<string> Files)
    {
        public string Environment { get; init; } = "production";

        public IReadOnlyList<string> Profiles { get; init; } = [];

        public bool Check { get; init; }

        public bool Detach { get; init; }

        /// <summary>The team a new app is created in; null lets the server choose (the caller's only team).</summary>
        public string? Team { get; init; }

        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    }

    public static Command Create(CliContext context)
    {
        var files = new Option<string[]>("--file", "-f") { Description = "Compose file (repeatable; the first one's directory is uploaded)", Required = true };
        var app = new Option<string>("--app", "-a") { Description = "App name", Required = true };
        var environment = new Option<string>("--env", "-e") { Description = "Environment to deploy into", DefaultValueFactory = _ => "production" };
        var profiles = new Option<string[]>("--profile") { Description = "Compose profile to enable (repeatable)" };
        var check = new Option<bool>("--check") { Description = "Validate and print the plan; change nothing" };
        var team = new Option<string?>("--team") { Description = "Team a new app is created in (default: your only team; an existing app keeps its own)" };
        var detach = SharedOptions.Detach("Return once the server accepted the deploy");
        var timeout = SharedOptions.Timeout("How long to wait for the app to run (e.g. 90s, 5m)");
        var command = new Command("deploy", "Deploy compose files as an app and follow the rollout") { files, app, environment, profiles, check, team, detach, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var options = new DeployOptions(SharedOptions.CheckAppName(parse.GetRequiredValue(app)), parse.GetValue(files) ?? [])
            {
                Environment = parse.GetValue(environment) ?? "production",
                Profiles = parse.GetValue(profiles) ?? [],
                Check = parse.GetValue(check),
                Team = parse.GetValue(team),
                Detach = parse.GetValue(detach),
                Timeout = SharedOptions.GetTimeout(parse, timeout),
            };
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, options, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, DeployOptions options, CancellationToken cancellationToken)
    {
        var bundle = BundleRoot.Resolve(options.Files, context.WorkingDirectory);
        var entries = BundleWriter.List(bundle.Root, IgnoreRules.Load(bundle.Root));
        var included = entries.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var file in bundle.Files.Where(f => !included.Contains(f)))
        {
            throw new CliException(ExitCodes.InvalidInput, $"{file}: the compose file is excluded from the bundle by {IgnoreRules.FileName} or a built-in exclude (.git, bin, obj, node_modules); move it or change {IgnoreRules.FileName}");
        }
        BundleWriter.EnsureWithinLimit(entries);
        var variables = VariableCollector.Collect(VariableCollector.ReferencedNames(bundle, entries), context.GetEnvironmentVariable);
        var request = new DeployRequest
        {
            Files = bundle.Files,
            Profiles = options.Profiles,
            Variables = variables,
            Environment = options.Environment,
            DryRun = options.Check,
            Team = options.Team,
        };
        var fileCount = entries.Count(e => !e.IsDirectory);
        await context.Out.WriteLineAsync(
            $"{(options.Check ? "checking" : "deploying")} {options.App} to {api.Server}: {fileCount} files ({Humanize.Bytes(entries.Sum(e => e.Length))}) from {bundle.Root}, {variables.Count} variable{(variables.Count == 1 ? "" : "s")}").ConfigureAwait(false);

        DeployResponse response;
        try
        {
            response = await api.DeployAsync(options.App, request, (stream, ct) => BundleWriter.WriteAsync(stream, entries, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex) when (ex.Diagnostics.Count > 0)
        {
            // The server names files relative to the bundle root; print them relative to where the user stands.
            throw new CliException(ex.ExitCode, ex.Message, ex) { Diagnostics = ex.Diagnostics.Select(d => Localize(d, bundle.Root, context.WorkingDirectory)).ToList() };
        }
        // Absent lists deserialize as null (source-generated init-only properties), whatever the record says.
        foreach (var warning in response.Warnings ?? [])
        {
            await context.Out.WriteLineAsync("warning: " + Localize(warning, bundle.Root, context.WorkingDirectory)).ConfigureAwait(false);
        }
        if (options.Check)
        {
            await context.Out.WriteLineAsync($"plan for {options.App} (dry run, nothing changed):").ConfigureAwait(false);
            await WritePlanAsync(context.Out, response).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await context.Out.WriteLineAsync(response.Changed
            ? $"accepted {options.App} generation {response.Generation}"
            : $"no changes; {options.App} stays at generation {response.Generation}").ConfigureAwait(false);
        await WritePlanAsync(context.Out, response).ConfigureAwait(false);
        if (options.Detach)
        {
            await context.Out.WriteLineAsync($"not waiting (--detach); watch with `gantry events {options.App} -f` or `gantry ps {options.App}`").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        return await WaitAsync(api, context, options.App, response, options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Follows a rollout to its end and prints the summary; shared by deploy and scale.</summary>
    public static async Task<int> WaitAsync(IGantryApi api, CliContext context, string app, DeployResponse response, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var watcher = new RolloutWatcher(api, IProgressView.Create(context.Out, context.Terminal), context.Time) { PollInterval = context.PollInterval };
        var detail = await watcher.WaitAsync(app, response.Generation, response.EventCursor, timeout, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync().ConfigureAwait(false);
        ServiceTable.Write(context.Out, detail);
        await context.Out.WriteLineAsync($"{app} is running generation {response.Generation} ({Humanize.Duration(context.Time.GetElapsedTime(started))})").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task WritePlanAsync(TextWriter writer, DeployResponse response)
    {
        foreach (var line in response.Plan ?? [])
        {
            await writer.WriteLineAsync("  " + line).ConfigureAwait(false);
        }
    }

    private static Diagnostic Localize(Diagnostic diagnostic, string root, string workingDirectory)
    {
        if (string.IsNullOrEmpty(diagnostic.File) || Path.IsPathRooted(diagnostic.File))
        {
            return diagnostic;
        }
        var local = Path.GetRelativePath(workingDirectory, Path.Combine(root, diagnostic.File));
        return diagnostic with { File = local.Replace(Path.DirectorySeparatorChar, '/') };
    }
}
