using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;

namespace Gantry.Cli.Commands;

/// <summary>`gantry audit`: who changed what, from where, and the outcome (admins).</summary>
public static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var output = SharedOptions.Output();
        var actor = new Option<string?>("--user") { Description = "Only changes by this user" };
        var team = new Option<string?>("--team") { Description = "Only changes to this team's apps" };
        var action = new Option<string?>("--action") { Description = "Only actions containing this text (e.g. scale, DELETE, /login)" };
        var app = new Option<string?>("--app") { Description = "Only changes to this app" };
        var before = new Option<long?>("--before") { Description = "Only entries older than this id (the next page)" };
        var limit = new Option<int?>("--limit", "-n") { Description = "How many of the newest entries (default 100)" };
        var command = new Command("audit", "Show the audit log: every change, who made it, from where, and the outcome") { actor, team, action, app, before, limit, output };
        command.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var query = new List<string>();
            if (parse.GetValue(actor) is { } a)
            {
                query.Add("actor=" + Uri.EscapeDataString(a));
            }
            if (parse.GetValue(team) is { } t)
            {
                query.Add("team=" + Uri.EscapeDataString(t));
            }
            if (parse.GetValue(action) is { } act)
            {
                query.Add("action=" + Uri.EscapeDataString(act));
            }
            if (parse.GetValue(app) is { } named)
            {
                query.Add("app=" + Uri.EscapeDataString(named));
            }
            if (parse.GetValue(before) is { } id)
            {
                query.Add("before=" + id.ToString(CultureInfo.InvariantCulture));
            }
            if (parse.GetValue(limit) is { } n)
            {
                query.Add("limit=" + n.ToString(CultureInfo.InvariantCulture));
            }
            var entries = await api.CallAsync(HttpMethod.Get, "api/v1/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, ApiJsonContext.Default.IReadOnlyListAuditEntryView, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                JsonOutput.Write(context.Out, entries, JsonOutput.Indented.IReadOnlyListAuditEntryView);
                return ExitCodes.Ok;
            }
            TableWriter.Write(context.Out, ["ID", "TIME", "USER", "FROM", "ACTION", "TARGET", "OUTCOME"], entries.Select(e => (IReadOnlyList<string>)
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), e.Actor, e.Address, e.Action, e.Target,
                $"{e.Status.ToString(CultureInfo.InvariantCulture)} {e.Outcome}",
            ]));
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return command;
    }
}
