using Gantry.Controllers.Apps;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Hosting;

/// <summary>Runs the app controller for the lifetime of the server.</summary>
public sealed class ControllerService(AppController controller) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => controller.RunAsync(stoppingToken);
}
