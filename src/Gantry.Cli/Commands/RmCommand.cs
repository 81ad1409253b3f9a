using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;

namespace Gantry.Cli.Commands;

/// <summary>`gantry rm APP`: asks the server to remove an app and waits until its engine objects are gone.</summary>
public static class RmCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var detach = SharedOptions.Detach("Return once the server accepted the removal");
        var timeout = SharedOptions.Timeout("How long to wait for the removal (e.g. 90s, 5m)");
        var command = new Command("rm", "Remove an app and all its replicas, networks and volumes it created") { app, detach, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                return await RunAsync(api, context, name, parse.GetValue(detach), SharedOptions.GetTimeout(parse, timeout), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool detach, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await api.DeleteAppAsync(app, cancellationToken).ConfigureAwait(false);
        if (detach)
        {
            await context.Out.WriteLineAsync($"removal of {app} accepted").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var view = IProgressView.Create(context.Out, context.Terminal);
        var started = context.Time.GetTimestamp();
        while (true)
        {
            var detail = await api.FindAppAsync(app, cancellationToken).ConfigureAwait(false);
            if (detail is null)
            {
                view.Update([new("app", $"{app}: removed")]);
                await context.Out.WriteLineAsync($"removed {app} ({Humanize.Duration(context.Time.GetElapsedTime(started))})").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var replicas = (detail.Status.Services ?? []).Sum(s => s.Replicas?.Count ?? 0);
            view.Update([new("app", $"{app}: removing, {replicas} replica{(replicas == 1 ? "" : "s")} left")]);
            if (context.Time.GetElapsedTime(started) >= timeout)
            {
                throw new CliException(ExitCodes.Failed,
                    $"timed out after {Humanize.Duration(timeout)} waiting for '{app}' to be removed; last status: {detail.Phase}{(detail.Message is null ? "" : ": " + detail.Message)}");
            }
            await Task.Delay(context.PollInterval, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
