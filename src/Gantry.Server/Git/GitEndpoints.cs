using System.Globalization;
using System.Text;
using Gantry.Controllers.Apps;
using Gantry.Registry.Auth;
using Gantry.Server.Auth;
using Gantry.Server.Identity;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Git;

/// <summary>
/// The git remote at /git/APP.git over smart HTTP (docs/decisions/0018), and the call-back its pre-receive hook makes. Each
/// request authenticates itself with HTTP Basic (a user and password, or any user name and a token), so git prompts for
/// or sends credentials as it does for any host; <see cref="AccessMiddleware"/> leaves these endpoints to it
/// (<see cref="AccessKind.Git"/>). Only smart HTTP is served: the dumb protocol would read files by path.
/// </summary>
public static class GitEndpoints
{
    public const string HookPath = "/git/.push";

    /// <summary>Header carrying the hook's GIT_QUARANTINE_PATH.</summary>
    public const string QuarantineHeader = "X-Gantry-Quarantine";

    /// <summary>Header carrying the `git push -o` options, each URL-escaped, joined by commas.</summary>
    public const string PushOptionHeader = "X-Gantry-Push-Option";

    private const int MaxRefLinesChars = 4 << 20;

    /// <summary>The hook's last line: the push keeps its ref updates only after this one.</summary>
    public const string AcceptedLine = "gantry-push: accepted";

    public static void MapGitEndpoints(this IEndpointRouteBuilder routes)
    {
        var git = routes.MapGroup("/git").ExcludeFromDescription();
        git.MapPost("/.push", HookAsync).Access(AccessKind.Git);
        git.MapGet("/{repo}/info/refs", InfoRefsAsync).Access(AccessKind.Git);
        git.MapPost("/{repo}/git-upload-pack", (HttpContext c, string repo) => ServiceAsync(c, repo, GitService.UploadPack)).Access(AccessKind.Git);
        git.MapPost("/{repo}/git-receive-pack", (HttpContext c, string repo) => ServiceAsync(c, repo, GitService.ReceivePack)).Access(AccessKind.Git);
        // Everything else under /git (the dumb protocol's object paths, HEAD, a name with more segments) is not served.
        git.Map("/{**rest}", (HttpContext c) => TextAsync(c, StatusCodes.Status404NotFound,
            "not a Gantry git URL: clone and push http://HOST/git/APP.git (smart HTTP, git 1.6.6 or later)")).Access(AccessKind.Git);
    }

    private static Task InfoRefsAsync(HttpContext context, string repo)
    {
        var service = context.Request.Query["service"].ToString() switch
        {
            "git-upload-pack" => GitService.UploadPack,
            "git-receive-pack" => GitService.ReceivePack,
            _ => (GitService?)null,
        };
        return service is { } known
            ? ServiceAsync(context, repo, known, infoRefs: true)
            : TextAsync(context, StatusCodes.Status403Forbidden, "only git's smart HTTP protocol is served (git 1.6.6 or later)");
    }

    private static async Task ServiceAsync(HttpContext context, string repo, GitService service, bool infoRefs = false)
    {
        var services = context.RequestServices;
        if (!GitRepositoryName.TryParse(repo, out var app, out var nameError))
        {
            await TextAsync(context, StatusCodes.Status400BadRequest, nameError).ConfigureAwait(false);
            return;
        }
        // The audit log names the app (and its team), as for the API's app endpoints.
        context.Request.RouteValues["app"] = app;
        if (await AuthenticateAsync(context).ConfigureAwait(false) is not { } principal)
        {
            return;
        }
        context.SetPrincipal(principal);
        var store = services.GetRequiredService<IResourceStore>();
        // The app, or any of its environments (a push to staging makes `hello-staging`, not `hello`): its team decides.
        var existing = await Environments.EnvironmentInstances.FindAnyAsync(store, app, context.RequestAborted).ConfigureAwait(false);
        var decision = GitAccess.Decide(principal, service, app, existing?.Spec.TeamName ?? await Environments.EnvironmentInstances.TeamOfAsync(store, app, context.RequestAborted).ConfigureAwait(false));
        if (!decision.IsAllowed)
        {
            await TextAsync(context, decision.Status, decision.Message!).ConfigureAwait(false);
            return;
        }
        var repositories = services.GetRequiredService<GitRepositories>();
        var backend = services.GetRequiredService<GitHttpBackend>();
        var rest = infoRefs ? "info/refs" : service == GitService.UploadPack ? "git-upload-pack" : "git-receive-pack";
        if (service == GitService.UploadPack)
        {
            if (!repositories.Exists(app))
            {
                await TextAsync(context, StatusCodes.Status404NotFound, $"app '{app}' has no repository yet: it was deployed by upload; push to it to start one").ConfigureAwait(false);
                return;
            }
            await backend.RunAsync(context, app, rest, principal.Name, null, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Pushes to one app run one at a time, from the advertisement to the ref update: a second push waits (queues), then
        // sees the refs the first one left, so its deploy and its ref update agree.
        var gate = repositories.LockOf(app);
        await gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            var path = await repositories.EnsureAsync(app, existing is not null, context.RequestAborted).ConfigureAwait(false);
            if (infoRefs)
            {
                await backend.RunAsync(context, app, rest, principal.Name, null, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = services.GetRequiredService<ServerOptions>().MaxBundleBytes;
            }
            using var session = services.GetRequiredService<PushSessions>().Begin(principal, app, path);
            var (exe, dll) = GitRepositories.HookCommand();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["GANTRY_PUSH_URL"] = HookUrl(context),
                ["GANTRY_PUSH_TOKEN"] = session.Token,
                ["GANTRY_HOOK_EXE"] = exe,
            };
            if (dll is not null)
            {
                environment["GANTRY_HOOK_DLL"] = dll;
            }
            await backend.RunAsync(context, app, rest, principal.Name, environment, context.RequestAborted).ConfigureAwait(false);
            Audit.AuditMiddleware.SetOutcome(context, session.Outcome ?? "no ref updated");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The pre-receive hook's call: one-time credential, the ref updates as the body, the quarantine and push options as
    /// headers. The answer is plain text, one line per step as it happens (git shows each as `remote:`), ending with
    /// <see cref="AcceptedLine"/> when the push may keep its refs.
    /// </summary>
    private static async Task HookAsync(HttpContext context, PushSessions sessions, PushDeployer deployer, ILogger<PushDeployer> logger)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var session = header.StartsWith("Bearer ", StringComparison.Ordinal) ? sessions.Claim(header[7..].Trim()) : null;
        if (session is null)
        {
            GitLog.HookCredentialRejected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            await TextAsync(context, StatusCodes.Status401Unauthorized, "this endpoint is for the pre-receive hook of a push in progress").ConfigureAwait(false);
            return;
        }
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            // A ref line is about 100 bytes: 4 MiB is some 40,000 refs in one push.
            var buffer = new char[MaxRefLinesChars + 1];
            var read = await reader.ReadBlockAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (read > MaxRefLinesChars)
            {
                await TextAsync(context, StatusCodes.Status413PayloadTooLarge, "error: too many refs in one push: push them in parts").ConfigureAwait(false);
                return;
            }
            body = new string(buffer, 0, read);
        }
        if (RefUpdate.ParseLines(body) is not { Count: > 0 } updates)
        {
            await TextAsync(context, StatusCodes.Status400BadRequest, "the hook sent no ref updates (lines of 'OLD NEW REF')").ConfigureAwait(false);
            return;
        }
        var options = context.Request.Headers[PushOptionHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(Uri.UnescapeDataString)
            .ToList();
        var quarantine = context.Request.Headers[QuarantineHeader].ToString() is { Length: > 0 } q ? q : null;

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var ct = context.RequestAborted;
        async Task Say(string line)
        {
            await context.Response.WriteAsync(Printable(line) + "\n", ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
        bool accepted;
        try
        {
            accepted = await deployer.RunAsync(session, updates, options, quarantine, Say, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or Controllers.Engine.EngineException or StoreException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            GitLog.PushFailed(logger, session.App, e);
            session.Outcome = "failed inside the server";
            await Say($"error: the server failed to deploy this push ({e.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}); its log has the details").ConfigureAwait(false);
            accepted = false;
        }
        if (accepted)
        {
            await Say(AcceptedLine).ConfigureAwait(false);
        }
    }

    /// <summary>HTTP Basic: a user and password, or any user name and a token. Failures count against the shared limit.</summary>
    private static async Task<Principal?> AuthenticateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var limiter = services.GetRequiredService<AuthFailureLimiter>();
        if (!BasicCredentials.TryParse(context.Request.Headers.Authorization, out string user, out string secret))
        {
            await ChallengeAsync(context, "authentication required: use your Gantry user name and password, or any user name and a Gantry token as the password").ConfigureAwait(false);
            return null;
        }
        var address = AuthFailureLimiter.AddressKey(context.Connection.RemoteIpAddress);
        var userKey = AuthFailureLimiter.UserKey(user);
        if (limiter.RetryAfter(address, userKey) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await TextAsync(context, StatusCodes.Status429TooManyRequests, $"too many failed authentications; try again in {seconds} s").ConfigureAwait(false);
            return null;
        }
        var principal = await services.GetRequiredService<Authenticator>().AuthenticatePasswordAsync(user, secret, context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            limiter.RecordFailure(address, userKey);
            GitLog.AuthenticationFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger("Gantry.Server.Git"),
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown", LoggedUser(user), context.Request.Method, context.Request.Path.Value ?? "");
            await ChallengeAsync(context, "the user name and password (or token) are not valid for this server").ConfigureAwait(false);
            return null;
        }
        limiter.RecordSuccess(address, userKey);
        return principal;
    }

    /// <summary>Where the hook calls back: the address and port this request came in on, which this server certainly listens on.</summary>
    private static string HookUrl(HttpContext context)
    {
        var local = context.Connection.LocalIpAddress ?? System.Net.IPAddress.Loopback;
        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }
        var host = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"{context.Request.Scheme}://{host}:{context.Connection.LocalPort}{HookPath}";
    }

    private static Task ChallengeAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Gantry\"";
        return TextAsync(context, StatusCodes.Status401Unauthorized, message);
    }

    /// <summary>Plain text: git prints a text/plain error body as `remote:` lines, so the user reads Gantry's reason.</summary>
    private static async Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The user name as the log may show it: a token put in the user name field by mistake (GitHub accepts that form) must
    /// not land in the log, so anything that looks like a credential is named, not quoted.
    /// </summary>
    public static string LoggedUser(string user) =>
        user.StartsWith("gt", StringComparison.Ordinal) && user.Length > 4 && user[3] == '_' || Model.Releases.SecretValues.IsSecretValue(user)
            ? "(a credential in the user name field)"
            : Printable(user.Length > 64 ? user[..64] : user);

    private static string Printable(string value) => new([.. value.Select(c => char.IsControl(c) && c != '\t' ? '?' : c)]);
}
