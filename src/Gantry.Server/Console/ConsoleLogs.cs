using Gantry.Console.Logs;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>The console's logs: <see cref="AppLogs"/>, as `GET /api/v1/apps/{app}/logs` reads them, behind the API's access rule (viewer).</summary>
public sealed class ConsoleLogs(AppLogs logs, IResourceStore store) : IConsoleLogs
{
    public async Task<IAsyncEnumerable<LogLine>?> OpenAsync(HttpContext context, string app, string? service, bool follow, int tail, CancellationToken ct)
    {
        var (_, denied) = await ConsoleAccess.CheckAsync(store, context, app, Role.Viewer, ct).ConfigureAwait(false);
        return denied is null ? await logs.OpenAsync(app, service, follow, tail, ct).ConfigureAwait(false) : null;
    }
}
