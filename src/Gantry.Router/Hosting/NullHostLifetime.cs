using Microsoft.Extensions.Hosting;

namespace Gantry.Router.Hosting;

/// <summary>A host lifetime that ignores console signals: the embedded web host must not swallow SIGTERM/Ctrl+C, because the
/// process that embeds the router (the gantry CLI, the server, tests) owns shutdown and tells us through a CancellationToken.</summary>
internal sealed class NullHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
