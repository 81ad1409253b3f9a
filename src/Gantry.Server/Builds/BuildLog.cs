using Microsoft.Extensions.Logging;

namespace Gantry.Server.Builds;

/// <summary>The builds' log events (71xx).</summary>
internal static partial class BuildLog
{
    [LoggerMessage(7101, LogLevel.Information, "Build {Number} of {App} ({Commit}) {State}: {Message}")]
    public static partial void Finished(ILogger logger, string app, long number, string commit, string state, string message);

    [LoggerMessage(7102, LogLevel.Warning, "Build {Number} of {App} was {State} when the server stopped: marked failed")]
    public static partial void Abandoned(ILogger logger, string app, long number, string state);

    [LoggerMessage(7103, LogLevel.Information, "Build {Number} of {App} cancelled by {User}")]
    public static partial void CancelRequested(ILogger logger, string app, long number, string user);

    [LoggerMessage(7104, LogLevel.Warning, "Could not remove the log of build {Number} of {App}")]
    public static partial void LogNotRemoved(ILogger logger, string app, long number, Exception exception);

    [LoggerMessage(7105, LogLevel.Warning, "Could not remove the test containers a stopped server left ({Error}); they go at their next run")]
    public static partial void LeftoversNotRemoved(ILogger logger, string error);
}
