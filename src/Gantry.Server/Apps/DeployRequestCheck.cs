using Gantry.Model;
using Gantry.Model.Api;

namespace Gantry.Server.Apps;

/// <summary>
/// Checks what a deploy asks for before a byte of its bundle is unpacked: the app name and the request
/// (compose file paths, variables). A request that cannot be deployed must not cost disk.
/// </summary>
public static class DeployRequestCheck
{
    /// <summary>The request with absent lists as empty ones (a hand-written request may send null), and every error found.</summary>
    public static (DeployRequest Request, List<Diagnostic> Errors) Check(string app, DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var defaults = new DeployRequest();
        request = request with
        {
            Files = request.Files ?? defaults.Files,
            Profiles = request.Profiles ?? [],
            Variables = request.Variables ?? new Dictionary<string, string>(),
            Environment = string.IsNullOrEmpty(request.Environment) ? defaults.Environment : request.Environment,
        };
        var errors = new List<Diagnostic>();
        if (!Names.IsValidAppName(app))
        {
            errors.Add(new Diagnostic("error", "--app", 0, 0, "", $"'{app}' is not a valid app name: use lower-case letters, digits, '-' and '_', starting with a letter or digit (at most 63)"));
        }
        if (request.Files.Count == 0)
        {
            errors.Add(new Diagnostic("error", "-f", 0, 0, "files", "no compose file given: name at least one (compose.yaml)"));
        }
        foreach (var file in request.Files)
        {
            if (string.IsNullOrWhiteSpace(file) || file.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(new Diagnostic("error", "-f", 0, 0, "files", "a compose file path is empty"));
            }
            else if (Path.IsPathRooted(file) || file.StartsWith('\\'))
            {
                errors.Add(new Diagnostic("error", file, 0, 0, "files", "the compose file path is absolute; the server needs it relative to the uploaded project directory"));
            }
            else if (file.Replace('\\', '/').Split('/').Contains(".."))
            {
                errors.Add(new Diagnostic("error", file, 0, 0, "files", "the compose file path climbs out of the project directory with '..'; deploy from a directory that holds every -f file"));
            }
        }
        foreach (var (name, value) in request.Variables)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || value is null)
            {
                errors.Add(new Diagnostic("error", "variables", 0, 0, name ?? "", "not a valid variable (a name without '=' and a value)"));
            }
        }
        return (request, errors);
    }
}
