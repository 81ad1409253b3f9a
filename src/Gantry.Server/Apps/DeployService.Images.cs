using System.Text.RegularExpressions;
using Gantry.Compose;
using Gantry.Controllers.Engine;
using Gantry.Model;
using Gantry.Model.Api;
using DeployOutcome = Gantry.Server.Apps.ChangeOutcome<Gantry.Model.Api.DeployResponse>;

namespace Gantry.Server.Apps;

/// <summary>The images a deploy names: pinned to the ids they name now, and checked (a floating tag in production, an image the engine cannot find) with the compose line that names them.</summary>
public sealed partial class DeployService
{
    /// <summary>Resolves every pulled image's tag to the id it names now: the release runs exactly that, whatever the tag points at later.</summary>
    private async Task<AppSpec> PinImagesAsync(AppSpec spec, CancellationToken ct)
    {
        var services = new List<ServiceSpec>();
        foreach (var service in spec.Services)
        {
            services.Add(service.Build is null && service.Image is not null
                ? service with { PinnedImage = await engine.GetImageIdAsync(service.Image, ct).ConfigureAwait(false) }
                : service);
        }
        return spec with { Services = services };
    }

    /// <summary>
    /// In production a release must say which version it runs: `latest` (or no tag) floats, so a later
    /// deploy, restart or rollback could silently run something else. A version tag or a digest pins it.
    /// </summary>
    private static List<Diagnostic> FloatingImages(AppSpec spec, IReadOnlyList<ComposeSource> sources, string root)
    {
        var errors = new List<Diagnostic>();
        if (!string.Equals(spec.Environment, "production", StringComparison.Ordinal))
        {
            return errors;
        }
        foreach (var service in spec.Services.Where(s => s.Build is null && s.Image is not null && !s.Image.Contains('@', StringComparison.Ordinal)))
        {
            var image = service.Image!;
            var name = image[(image.LastIndexOf('/') + 1)..];
            var tag = name.Contains(':', StringComparison.Ordinal) ? name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
            if (tag is null or "latest")
            {
                var (file, line, column) = Locate(sources, root, service.Name, image);
                errors.Add(new Diagnostic("error", file, line, column, $"services.{service.Name}.image",
                    $"'{image}' floats ({(tag is null ? "no tag means latest" : "latest")}), which production refuses: pin a version tag or a digest " +
                    $"(image: {(tag is null ? image : image[..^(tag.Length + 1)])}:1.4 or ...@sha256:...), or deploy to another environment (--env staging)"));
            }
        }
        return errors;
    }

    /// <summary>Every image a service runs without building must be on the engine or pullable: an unknown image deploys nothing.</summary>
    private async Task<List<Diagnostic>> CheckImagesAsync(AppSpec spec, IReadOnlyList<ComposeSource> sources, string root, CancellationToken ct)
    {
        var errors = new List<Diagnostic>();
        foreach (var service in spec.Services.Where(s => s.Build is null && s.Image is not null))
        {
            // pull_policy (issue 16): 'never' does not pull at all, 'always' pulls even what the engine has; the rest pull what is missing.
            var present = await engine.GetImageIdAsync(service.Image!, ct).ConfigureAwait(false) is not null;
            if (service.PullPolicy == "never")
            {
                if (!present)
                {
                    var (neverFile, neverLine, neverColumn) = Locate(sources, root, service.Name, service.Image!);
                    errors.Add(new Diagnostic("error", neverFile, neverLine, neverColumn, $"services.{service.Name}.image",
                        $"image '{service.Image}' is not on the engine and pull_policy is 'never': load or build it on the engine first, or remove pull_policy"));
                }
                continue;
            }
            if (present && service.PullPolicy != "always")
            {
                continue;
            }
            string reason;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.ImagePullTimeout);
                await engine.PullImageAsync(service.Image!, timeout.Token).ConfigureAwait(false);
                if (await engine.GetImageIdAsync(service.Image!, ct).ConfigureAwait(false) is not null)
                {
                    continue;
                }
                reason = "the pull finished but the engine still does not have it";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                reason = $"pulling it did not finish within {options.ImagePullTimeout.TotalSeconds:0} s";
            }
            catch (EngineException e)
            {
                reason = e.Message;
            }
            var (file, line, column) = Locate(sources, root, service.Name, service.Image!);
            errors.Add(new Diagnostic("error", file, line, column, $"services.{service.Name}.image", present
                ? $"pull_policy is 'always' but pulling '{service.Image}' failed ({reason}): the engine's copy may be old. Fix the registry, or use pull_policy: missing to run the copy the engine has"
                : $"unknown image '{service.Image}': it is not on the engine and could not be pulled ({reason}). Build it locally, push it to Gantry's registry, or add a build section"));
        }
        return errors;
    }

    /// <summary>Finds the line that names the image, so the error points at it.</summary>
    private static (string File, int Line, int Column) Locate(IReadOnlyList<ComposeSource> sources, string root, string service, string image)
    {
        var pattern = new Regex(@"^\s*image\s*:\s*[""']?" + Regex.Escape(image) + @"[""']?\s*(#.*)?$");
        foreach (var source in sources.Reverse())
        {
            var lines = File.ReadAllLines(source.Path);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = pattern.Match(lines[i]);
                if (match.Success)
                {
                    return (Path.GetRelativePath(root, source.Path), i + 1, lines[i].IndexOf("image", StringComparison.Ordinal) + 1);
                }
            }
        }
        return (Path.GetRelativePath(root, sources[0].Path), 0, 0);
    }

    /// <summary>Points a route ownership refusal at the line of the claiming service's x-gantry key.</summary>
    private static Diagnostic LocateExtension(IReadOnlyList<ComposeSource> sources, string root, string error)
    {
        var path = error[..error.IndexOf(": ", StringComparison.Ordinal)];
        var message = error[(path.Length + 2)..];
        var service = path.Split('.')[1];
        foreach (var source in sources.Reverse())
        {
            var lines = File.ReadAllLines(source.Path);
            var inService = false;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                var indent = lines[i].Length - trimmed.Length;
                if (indent == 2 && trimmed.StartsWith(service + ":", StringComparison.Ordinal))
                {
                    inService = true;
                }
                else if (inService && indent <= 2 && trimmed.Length > 0 && !trimmed.StartsWith('#'))
                {
                    inService = false;
                }
                if (inService && trimmed.StartsWith("x-gantry:", StringComparison.Ordinal))
                {
                    return new Diagnostic("error", Path.GetRelativePath(root, source.Path), i + 1, indent + 1, path, message);
                }
            }
        }
        return new Diagnostic("error", Path.GetRelativePath(root, sources[0].Path), 0, 0, path, message);
    }
}
