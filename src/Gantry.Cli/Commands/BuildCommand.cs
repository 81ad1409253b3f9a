using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Api;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry build APP N [--follow]`: a build's kept log (following it until the build ends); `gantry build APP --cancel N`:
/// stop a queued or running build, so the push that waits for it deploys nothing (docs/decisions/0025).
/// </summary>
public static class BuildCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var number = new Argument<long?>("N") { Description = "Build number (see `gantry builds APP`)", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Go on printing the log until the build ends" };
        var cancel = new Option<long?>("--cancel") { Description = "Cancel build N (queued or running)", HelpName = "N" };
        var command = new Command("build", "Print a build's log (--follow: until it ends), or cancel a build (--cancel N)") { app, number, follow, cancel };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            var (n, cancelling) = Target(parse.GetValue(number), parse.GetValue(cancel), parse.GetValue(follow));
            return await SharedOptions.WithApiAsync(context, parse, api => cancelling
                ? CancelAsync(api, context, name, n, ct)
                : LogAsync(api, context, name, n, parse.GetValue(follow), ct)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Exactly one of N and --cancel N, a number from 1; anything else is a usage error naming what was given.</summary>
    public static (long Number, bool Cancel) Target(long? number, long? cancel, bool follow)
    {
        if (number is not null && cancel is not null)
        {
            throw new CliException(ExitCodes.Usage, $"give a build to show (N) or one to cancel (--cancel N), not both ({number} and --cancel {cancel})");
        }
        if (cancel is not null && follow)
        {
            throw new CliException(ExitCodes.Usage, "--follow shows a log; it does not go with --cancel");
        }
        var (value, what) = cancel is { } c ? (c, "--cancel") : number is { } n ? (n, "N") : throw new CliException(ExitCodes.Usage, "name a build: gantry build APP N [--follow], or gantry build APP --cancel N");
        return value >= 1
            ? (value, cancel is not null)
            : throw new CliException(ExitCodes.Usage, $"{what} {value} is not a build number; builds are numbered from 1 (see `gantry builds APP`)");
    }

    public static async Task<int> LogAsync(IGantryApi api, CliContext context, string app, long number, bool follow, CancellationToken cancellationToken)
    {
        await api.CopyBuildLogAsync(app, number, follow, context.Out, cancellationToken).ConfigureAwait(false);
        if (!follow)
        {
            return ExitCodes.Ok;
        }
        // Followed to its end: the exit code says how it ended, for scripts.
        var build = await api.GetBuildAsync(app, number, cancellationToken).ConfigureAwait(false);
        return build.State == BuildStates.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    public static async Task<int> CancelAsync(IGantryApi api, CliContext context, string app, long number, CancellationToken cancellationToken)
    {
        var build = await api.CancelBuildAsync(app, number, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"build {build.Number.ToString(CultureInfo.InvariantCulture)} of {app} {build.State}{(build.Message is { } m ? ": " + m : "")}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
