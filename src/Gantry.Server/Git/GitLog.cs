using Microsoft.Extensions.Logging;

namespace Gantry.Server.Git;

/// <summary>The git remote's log events (7xxx). Credentials are never among the arguments.</summary>
internal static partial class GitLog
{
    [LoggerMessage(7001, LogLevel.Information, "Created the repository of app {App}")]
    public static partial void RepositoryCreated(ILogger logger, string app);

    [LoggerMessage(7002, LogLevel.Warning, "Replaced the repository of app {App}: no app owned its history (the app was removed)")]
    public static partial void StaleRepositoryReplaced(ILogger logger, string app);

    [LoggerMessage(7003, LogLevel.Warning, "Git authentication failed from {Remote} for user {User} ({Method} {Path})")]
    public static partial void AuthenticationFailed(ILogger logger, string remote, string user, string method, string path);

    [LoggerMessage(7004, LogLevel.Information, "Push to {App} by {User}: deploying {Branch} at {Commit}")]
    public static partial void PushDeploying(ILogger logger, string app, string user, string branch, string commit);

    [LoggerMessage(7005, LogLevel.Warning, "git http-backend for {Method} {App} {Rest} exited with {ExitCode}: {Stderr}")]
    public static partial void BackendSaid(ILogger logger, string method, string app, string rest, int exitCode, string stderr);

    [LoggerMessage(7006, LogLevel.Error, "git http-backend failed for {Method} {Path}: {What}; git said: {Stderr}")]
    public static partial void BackendFailed(ILogger logger, string method, string path, string what, string stderr);

    [LoggerMessage(7007, LogLevel.Warning, "A push hook call from {Remote} presented an unknown, ended or used push credential")]
    public static partial void HookCredentialRejected(ILogger logger, string remote);

    [LoggerMessage(7008, LogLevel.Error, "The push to {App} failed inside the server")]
    public static partial void PushFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(7009, LogLevel.Information, "The detached pipeline (-o async) of {App} at {Commit}, build {Build}, ended: {Outcome}")]
    public static partial void DetachedPipelineEnded(ILogger logger, string app, string commit, long build, string outcome);
}
