using System.CommandLine;
using Gantry.Cli.Api;
using Gantry.Cli.Output;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry rm APP`: asks the server to remove an app and waits until its engine objects are gone; with `--environments`,
/// every environment it runs as (APP-staging, previews) too. Environments' settings (variables, secrets) are kept.
/// </summary>
public static class RmCommand
{
    public static Command Create(CliContext context)
    {
        var app = SharedOptions.App();
        var detach = SharedOptions.Detach("Return once the server accepted the removal");
        var timeout = SharedOptions.Timeout("How long to wait for the removal (e.g. 90s, 5m)");
        var environments = new Option<bool>("--environments") { Description = "Also remove every other environment of APP (APP-staging, ...) and its previews; their settings are kept" };
        var command = new Command("rm", "Remove an app and all its replicas, networks and volumes it created") { app, detach, timeout, environments };
        command.SetAction(async (parse, ct) =>
        {
            var name = SharedOptions.CheckAppName(parse.GetRequiredValue(app));
            return await SharedOptions.WithApiAsync(context, parse, async api =>
            {
                if (!parse.GetValue(environments))
                {
                    return await RunAsync(api, context, name, parse.GetValue(detach), SharedOptions.GetTimeout(parse, timeout), ct).ConfigureAwait(false);
                }
                var instances = (await EnvCommand.ListAsync(api, name, ct).ConfigureAwait(false)).Where(v => v.Phase is not null).Select(v => v.Instance).ToList();
                if (instances.Count == 0)
                {
                    await context.Out.WriteLineAsync($"{name} has no environment deployed: nothing to remove").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                // All removals are asked for first, so they run side by side; then each is waited for.
                foreach (var instance in instances)
                {
                    await api.DeleteAppAsync(instance, ct).ConfigureAwait(false);
                }
                foreach (var instance in instances)
                {
                    var code = await RunAsync(api, context, instance, parse.GetValue(detach), SharedOptions.GetTimeout(parse, timeout), ct, alreadyAsked: true).ConfigureAwait(false);
                    if (code != ExitCodes.Ok)
                    {
                        return code;
                    }
                }
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    public static async Task<int> RunAsync(IGantryApi api, CliContext context, string app, bool detach, TimeSpan timeout, CancellationToken cancellationToken,
        bool alreadyAsked = false)
    {
        if (!alreadyAsked)
        {
            await api.DeleteAppAsync(app, cancellationToken).ConfigureAwait(false);
        }
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
