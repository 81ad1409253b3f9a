using System.CommandLine;
using System.Globalization;
using Gantry.Model.Api;
using Gantry.Model.Api.Cluster;

namespace Gantry.Cli.Commands;

/// <summary>`gantry cluster`: the Swarm under the server; `cluster init` makes the server's engine a manager or adopts its Swarm (admins).</summary>
public static class ClusterCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var command = new Command("cluster", "The Docker Swarm the server's engine manages (state, nodes, heartbeat)") { output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var view = await api.CallAsync(HttpMethod.Get, "api/v1/cluster", null, ApiJsonContext.Default.ClusterView, ct).ConfigureAwait(false);
            await WriteAsync(context, view, parse.GetValue(output) == "json").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var advertise = new Option<string>("--advertise-addr") { Description = "The address other machines reach the server's engine at (needed when it has several)" };
        var heartbeat = new Option<double?>("--heartbeat") { Description = "Swarm's dispatcher heartbeat in seconds (default 1; Swarm's own is 5): how soon a dead node is noticed" };
        var initOutput = SharedOptions.Output();
        var init = new Command("init", "Make the server's engine a Swarm manager, or adopt the Swarm it manages") { advertise, heartbeat, initOutput };
        init.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var body = IdentityJson.Body(new ClusterInitRequest(parse.GetValue(advertise), parse.GetValue(heartbeat)), ApiJsonContext.Default.ClusterInitRequest);
            var view = await api.CallAsync(HttpMethod.Post, "api/v1/cluster/init", body, ApiJsonContext.Default.ClusterView, ct).ConfigureAwait(false);
            await WriteAsync(context, view, parse.GetValue(initOutput) == "json").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        command.Add(init);
        return command;
    }

    private static async Task WriteAsync(CliContext context, ClusterView view, bool json)
    {
        if (json)
        {
            Output.JsonOutput.Write(context.Out, view, Output.JsonOutput.Indented.ClusterView);
            return;
        }
        var what = view.Action switch
        {
            "created" => "created a Swarm; the server's engine is its manager\n",
            "adopted" => "adopted the Swarm the server's engine manages\n",
            "already" => "the server's engine already manages this Swarm; nothing changed\n",
            _ => "",
        };
        var heartbeat = view.HeartbeatSeconds is { } s ? s.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "-";
        await context.Out.WriteAsync(what + (view.State == "manager"
            ? $"swarm {view.ClusterId}: manager at {view.ManagerAddress}, {view.Nodes} node(s), {view.Managers} manager(s), heartbeat {heartbeat}\n"
            : $"the server's engine is not a Swarm manager (state {view.State}); `gantry cluster init` makes it one\n")).ConfigureAwait(false);
    }
}
