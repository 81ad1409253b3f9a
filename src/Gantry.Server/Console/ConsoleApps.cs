using Gantry.Console.Apps;
using Gantry.Model.Api;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>The console's app views: <see cref="AppQuery"/> for the principal the session resolved to, exactly as the API asks it.</summary>
public sealed class ConsoleApps(AppQuery query) : IConsoleApps
{
    public Task<IReadOnlyList<AppSummary>> ListAsync(HttpContext context, CancellationToken ct) => query.ListAsync(context.Principal(), ct);

    public Task<AppDetail?> FindAsync(HttpContext context, string app, CancellationToken ct) => query.FindAsync(context.Principal(), app, ct);
}
