using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Cli.Output;
using Gantry.Cli.Rollout;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry rollback APP [--to N]`: asks the server to restore an older release (as a new release),
/// then follows it like a deploy and says how long it took from the command to the app running it.
/// </summary>
public static class RollbackCommand
{
    /// <summary>What `gantry rollback` was asked for; <see cref="To"/> null means the release before the current one.</summary>
    public sealed record RollbackOptions(string App)
    {
        public long? To { get; init; }

        /// <summary>Instead of <see cref="To"/>: the newest release made from this commit (7 to 40 hex digits).</summary>
        public string? Commit { get; init; }

        public bool NoWait { get; init; }

        /// <summary>Only say what the rollback would do (the server's own decision); change nothing.</summary>
        public bool DryRun { get; init; }

        public TimeSpan Timeout { get; init; } = SharedOptions.DefaultTimeout;
    }

    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var to = new Option<string?>("--to") { Description = "Release number, or commit id (7 to 40 hex digits) of a pushed commit, to go back to (default: the release before the current one)", HelpName = "N|SHA" };
        var env = EnvCommand.Option("production");
        var noWait = new Option<bool>("--no-wait", "--detach", "-d") { Description = "Return once the server accepted the rollback" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say which release it would restore and whether its replicas are warm; change nothing" };
        var timeout = SharedOptions.Timeout("How long to wait for the rollback to finish (e.g. 90s, 5m)");
        var command = new Command("rollback", "Go back to an earlier release (instantly when its replicas are still warm)") { app, to, env, noWait, dryRun, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var (number, commit) = ParseTarget(parse.GetValue(to));
            var options = new RollbackOptions(Gantry.Model.Environments.EnvironmentNames.InstanceOf(name, EnvCommand.Check(name, parse.GetRequiredValue(env))))
            {
                To = number,
                Commit = commit,
                NoWait = parse.GetValue(noWait),
                DryRun = parse.GetValue(dryRun),
                Timeout = SharedOptions.GetTimeout(parse, timeout),
            };
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, options, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>`--to 3` is a release number; `--to 1a2b3c4` (7 to 40 hex digits) a commit; anything else a usage error naming it.</summary>
    public static (long? Number, string? Commit) ParseTarget(string? to)
    {
        if (to is null)
        {
            return (null, null);
        }
        if (to.Length < 7 && long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return (ReleaseCommand.CheckNumber(number, "--to"), null);
        }
        if (to.Length is >= 7 and <= 40 && to.All(char.IsAsciiHexDigit))
        {
            return (null, to.ToLowerInvariant());
        }
        throw new CliException(ExitCodes.Usage, $"--to '{to}' is neither a release number (e.g. --to 3) nor a commit id (7 to 40 hex digits, e.g. --to 1a2b3c4)");
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, RollbackOptions options, CancellationToken cancellationToken)
    {
        if (options.DryRun && options.Commit is not null)
        {
            throw new CliException(ExitCodes.Usage, "--dry-run takes a release number with --to; 'gantry releases APP' shows which release a commit made");
        }
        if (options.DryRun)
        {
            var preview = await api.PreviewRollbackAsync(options.App, options.To, cancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"would roll back {options.App} from release {preview.From} to release {preview.Target} (as a new release; dry run, nothing changed)").ConfigureAwait(false);
            await context.Out.WriteLineAsync(preview.Warm
                ? "old replicas are warm: traffic would swap back at once"
                : $"release {preview.Target}'s replicas are no longer running: they would be started again").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        // Timed from before the request: the figure users care about is command to traffic on the old release.
        var started = context.Time.GetTimestamp();
        var response = await api.RollbackAsync(options.App, new RollbackRequest { To = options.To, Commit = options.Commit }, cancellationToken).ConfigureAwait(false);
        var o = context.Out;
        await o.WriteLineAsync($"rolling back {options.App} to release {response.Target} (new release {response.Release})").ConfigureAwait(false);
        await o.WriteLineAsync(response.Warm
            ? "old replicas are warm: swapping traffic back"
            : $"release {response.Target}'s replicas are no longer running: starting them again").ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(response.Message))
        {
            await o.WriteLineAsync(response.Message).ConfigureAwait(false);
        }
        if (options.NoWait)
        {
            await o.WriteLineAsync($"not waiting (--no-wait); watch with `gantry releases {options.App}` or `gantry events {options.App} -f`").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var watcher = new RolloutWatcher(api, IProgressView.Create(o, context.Terminal), context.Time) { PollInterval = context.PollInterval };
        AppDetail detail;
        try
        {
            detail = await watcher.WaitAsync(options.App, response.Generation, response.EventCursor, options.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException ex) when (ex.ExitCode == ExitCodes.DeployFailed)
        {
            // The watcher speaks of deploys; this was a rollback, and the user should know which release failed.
            var reason = ex.Message[(ex.Message.IndexOf(" failed: ", StringComparison.Ordinal) is var at and >= 0 ? at + " failed: ".Length : 0)..];
            throw new CliException(ExitCodes.DeployFailed, $"rollback of '{options.App}' to release {response.Target} (release {response.Release}) failed: {reason}", ex);
        }
        await o.WriteLineAsync().ConfigureAwait(false);
        ServiceTable.Write(o, detail);
        var seconds = context.Time.GetElapsedTime(started).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        await o.WriteLineAsync($"{options.App} is back on release {response.Target} as release {response.Release} ({seconds}s)").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
