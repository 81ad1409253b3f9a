using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Gantry.Server.Git;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry git-hook` (hidden): what the pre-receive hook of a server repository runs. It hands the push to the server that
/// started it (the URL and one-time credential are in its environment, put there by the server for this push only) and
/// copies the server's lines to git, which shows them as `remote:`. Exit 0 keeps the push's ref updates, anything else
/// refuses them (docs/decisions/0018). The deploy logic is all in the server; this is a pipe.
/// </summary>
public static class GitHookCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("git-hook", "Pre-receive hook of the server's git repositories (run by git, not by people)") { Hidden = true };
        command.SetAction(async (_, ct) => await RunAsync(context, ct).ConfigureAwait(false));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var url = context.GetEnvironmentVariable("GANTRY_PUSH_URL");
        var token = context.GetEnvironmentVariable("GANTRY_PUSH_TOKEN");
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(token))
        {
            await context.Out.WriteLineAsync("gantry: push to this repository through the Gantry server (http://HOST/git/APP.git)").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        var updates = await context.In.ReadToEndAsync(ct).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(updates, Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (context.GetEnvironmentVariable("GIT_QUARANTINE_PATH") is { Length: > 0 } quarantine)
        {
            request.Headers.Add(GitEndpoints.QuarantineHeader, quarantine);
        }
        if (int.TryParse(context.GetEnvironmentVariable("GIT_PUSH_OPTION_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            // One header, each option escaped (so a comma inside one cannot split it) and joined by commas.
            var options = Enumerable.Range(0, count).Select(i => Uri.EscapeDataString(context.GetEnvironmentVariable($"GIT_PUSH_OPTION_{i}") ?? ""));
            request.Headers.TryAddWithoutValidation(GitEndpoints.PushOptionHeader, string.Join(',', options));
        }
        // No timeout: the server says when the build and the rollout end (receive-pack keeps the client's connection alive).
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var accepted = false;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), Encoding.UTF8);
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (response.IsSuccessStatusCode && line == GitEndpoints.AcceptedLine)
                {
                    accepted = true;
                    continue;
                }
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                await context.Out.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            await context.Out.WriteLineAsync($"gantry: lost the server while deploying ({e.Message}); the push is refused").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        return accepted ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
