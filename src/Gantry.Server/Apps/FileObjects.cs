using Gantry.Model;
using Gantry.Model.Api;

namespace Gantry.Server.Apps;

/// <summary>
/// Checks the secrets and configs an app uses and turns each into a file the controller can bind-mount:
/// file-based ones must be regular files inside the uploaded project (by their real path: links are resolved,
/// and one leading out is refused); inline content is written beside the bundle, named by its hash.
/// Forms Gantry cannot honour yet are refused by name, never dropped.
/// </summary>
public static class FileObjects
{
    /// <param name="environmentSecret">
    /// The deploy's environment's secrets (docs/decisions/0024): an `external: true` secret is the newest version of the secret
    /// of that name there, mounted from its file and recorded with its version. Null when the app has no environment recorded.
    /// </param>
    public static (AppSpec App, List<Diagnostic> Errors, List<Diagnostic> Warnings) Prepare(AppSpec app, string bundleDirectory, string composeFile,
        Environments.EnvironmentInputs? environment = null)
    {
        var errors = new List<Diagnostic>();
        var warnings = new List<Diagnostic>();
        var usedSecrets = app.Services.SelectMany(s => s.Secrets).Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        var usedConfigs = app.Services.SelectMany(s => s.Configs).Select(r => r.Source).ToHashSet(StringComparer.Ordinal);
        var secrets = app.Secrets.Select(s => usedSecrets.Contains(s.Name) ? Check(s, "secrets") : s).ToList();
        var configs = app.Configs.Select(c => usedConfigs.Contains(c.Name) ? Check(c, "configs") : c).ToList();
        foreach (var (service, reference) in app.Services.SelectMany(s => s.Secrets.Concat(s.Configs).Select(r => (s, r))))
        {
            if (reference.Uid is not null || reference.Gid is not null || reference.Mode is not null)
            {
                warnings.Add(new Diagnostic("warning", composeFile, 0, 0, $"services.{service.Name}",
                    $"uid, gid and mode of '{reference.Source}' are not applied: Gantry bind-mounts the file read-only with the mode it has in the project"));
            }
        }
        return (app with { Secrets = secrets, Configs = configs }, errors, warnings);

        FileObjectSpec Check(FileObjectSpec item, string kind)
        {
            var path = $"{kind}.{item.Name}";
            if (item.External && kind == "secrets" && environment?.Secret(item.Name) is { } set)
            {
                return item with { File = set.File, Version = set.Version };
            }
            if (item.External && kind == "secrets" && environment is not null)
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, path,
                    $"external secret '{item.Name}' is not set in environment '{environment.Name}': set it with 'printf %s VALUE | gantry secrets set APP --env {environment.Name} {item.Name}'"));
                return item;
            }
            if (item.External)
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, path, kind == "secrets"
                    ? "external secrets come from the app's environment: set one with 'gantry secrets set APP --env ENV NAME' and deploy with git push or 'gantry deploy --app APP-ENV', or declare it with file: pointing into the project"
                    : $"external {kind} are not supported by Gantry yet; declare it with file: pointing into the project"));
                return item;
            }
            if (item.EnvironmentVariable is not null)
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, path, $"{kind} taken from environment variables are not supported by Gantry yet; use file:"));
                return item;
            }
            if (item.Content is not null)
            {
                return item with { File = WriteInline(bundleDirectory, kind, item.Content), Content = null };
            }
            if (item.File is null)
            {
                errors.Add(new Diagnostic("error", composeFile, 0, 0, path, $"needs file: (a path inside the project directory)"));
                return item;
            }
            // The real path, resolved link by link inside the bundle: a link may not lead a mount out of the project.
            var resolution = Bundles.BundlePath.Resolve(bundleDirectory, item.File);
            if (resolution.RealPath is { } real && Bundles.BundlePath.IsRegularFile(real))
            {
                return item with { File = real };
            }
            var shown = Bundles.BundlePath.IsUnder(bundleDirectory, item.File) ? Path.GetRelativePath(bundleDirectory, item.File) : item.File;
            errors.Add(new Diagnostic("error", composeFile, 0, 0, $"{path}.file", resolution.IsInside
                ? $"'{shown}' is not a file in the uploaded project directory; put it there (it is uploaded with the deploy, and may be listed in .gitignore but not .gantryignore)"
                : $"'{shown}' is refused: {resolution.Problem}; a secret or config file must be a file inside the project (copy it there)"));
            return item;
        }
    }

    /// <summary>
    /// Writes inline content beside the bundle (never into the uploaded tree), named by its hash: a redeploy with
    /// other values writes a new file instead of changing the one a running replica has mounted.
    /// </summary>
    private static string WriteInline(string bundleDirectory, string kind, string content)
    {
        var directory = Path.Combine(Bundles.BundleStore.InlineDirectoryOf(bundleDirectory), kind);
        Directory.CreateDirectory(directory);
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var file = Path.Combine(directory, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        if (!File.Exists(file))
        {
            var temp = $"{file}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, file, overwrite: true);
        }
        return file;
    }
}
