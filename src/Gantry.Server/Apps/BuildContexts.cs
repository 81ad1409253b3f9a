using Gantry.Model;
using Gantry.Model.Api;
using Gantry.Server.Bundles;

namespace Gantry.Server.Apps;

/// <summary>
/// Pins every build context inside the uploaded project to its real path, resolved link by link inside the
/// bundle, so the build (now or after a restart) tars up exactly that directory and a link cannot make it
/// send anything from outside the project. Contexts outside the bundle are the host-path policy's to judge.
/// </summary>
public static class BuildContexts
{
    public static (AppSpec App, List<Diagnostic> Errors) Resolve(AppSpec app, string bundleDirectory, string composeFile)
    {
        ArgumentNullException.ThrowIfNull(app);
        var errors = new List<Diagnostic>();
        var services = new List<ServiceSpec>();
        foreach (var service in app.Services)
        {
            if (service.Build is not { } build || !BundlePath.IsUnder(bundleDirectory, build.Context))
            {
                services.Add(service);
                continue;
            }
            var resolution = BundlePath.Resolve(bundleDirectory, build.Context);
            var shown = Path.GetRelativePath(bundleDirectory, build.Context);
            if (resolution.RealPath is not { } real)
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, $"services.{service.Name}.build.context",
                    $"'{shown}' is refused: {resolution.Problem}; a build context must be a directory inside the project"));
            }
            else if (!Directory.Exists(real))
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, $"services.{service.Name}.build.context",
                    $"'{shown}' is not a directory in the uploaded project; check the path (and that .gantryignore does not leave it out)"));
            }
            services.Add(service with { Build = build with { Context = resolution.RealPath ?? build.Context } });
        }
        return (app with { Services = services }, errors);
    }
}
