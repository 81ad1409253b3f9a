using Microsoft.Extensions.Logging;

namespace Gantry.Server.Audit;

/// <summary>The audit log's own failures (event ids 6101-6199).</summary>
internal static partial class AuditLog
{
    [LoggerMessage(6101, LogLevel.Error, "could not keep the audit entry for {Action} by {Actor}")]
    public static partial void AppendFailed(ILogger logger, string action, string actor, Exception error);
}
