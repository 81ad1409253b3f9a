using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Console.Logs;

/// <summary>
/// An app's logs for the Logs page, implemented by the server with the log source `gantry logs [-f]` reads (Gantry's log
/// store, which the replicas' output is collected into as it is written): nothing polled.
/// </summary>
public interface IConsoleLogs
{
    /// <summary>The lines (see the server's AppLogs), or null when the user may not see the app.</summary>
    Task<IAsyncEnumerable<LogLine>?> OpenAsync(HttpContext context, string app, string? service, bool follow, int tail, CancellationToken ct);
}
