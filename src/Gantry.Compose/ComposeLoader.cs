using System.Text;
using System.Text.RegularExpressions;
using Gantry.Compose.DotEnv;
using Gantry.Compose.HostPaths;
using Gantry.Compose.Include;
using Gantry.Compose.Mapping;
using Gantry.Compose.Merge;
using Gantry.Compose.Yaml;
using Gantry.Model;

namespace Gantry.Compose;

/// <summary>Loads compose files into an <see cref="AppSpec"/>, following the Compose Specification, and reports every problem at once.</summary>
/// <remarks>
/// Pipeline per -f file: parse (with marks) → interpolate → include → extends; then the files are
/// merged in order and mapped to the model, where profiles, references and dependency cycles are
/// checked. Only files are read (compose files, .env, env_file); nothing talks to an engine.
/// </remarks>
public static partial class ComposeLoader
{
    public static ComposeLoadResult Load(ComposeLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new DiagnosticBag();
        var referenced = new SortedSet<string>(StringComparer.Ordinal);
        AppSpec? app = null;
        try
        {
            app = LoadCore(options, diagnostics, referenced);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A loader bug must still come back as a diagnostic: callers rely on Load never throwing.
            var file = options.Files.Count > 0 ? options.Files[0].Path : "";
            // The message reaches API clients: no exception type, message or stack line (they can name internals or quote values).
            diagnostics.Error(new SourceMark(file, 0, 0, ""), "", "internal error in the compose loader; please report it with this file");
        }
        return new ComposeLoadResult(diagnostics.HasErrors ? null : app, diagnostics.ToSortedList(), referenced);
    }

    private static AppSpec? LoadCore(ComposeLoadOptions options, DiagnosticBag diagnostics, SortedSet<string> referenced)
    {
        if (options.Files.Count == 0)
        {
            diagnostics.Error(new SourceMark("", 0, 0, ""), "", "no compose file given: pass at least one file (compose.yaml)");
            return null;
        }
        var workingDirectory = Path.GetFullPath(options.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(options.Files[0].Path))!);
        var hostPaths = new HostPathGuard(options.HostPaths, workingDirectory, diagnostics);
        var files = new ProjectFiles(diagnostics, workingDirectory, options.ReadFile ?? ReadFile, hostPaths);
        var environment = BuildEnvironment(workingDirectory, options.Environment, files);
        string? Lookup(string name)
        {
            referenced.Add(name);
            return environment.GetValueOrDefault(name);
        }

        var loader = new DocumentLoader(files);
        MappingNode? merged = null;
        var anyFailed = false;
        foreach (var source in options.Files)
        {
            var absolute = Path.GetFullPath(source.Path, workingDirectory);
            // Checked before reading: a compose file linked to a host file would otherwise be parsed and quoted in errors.
            if (source.Content is null && !hostPaths.Check(absolute, source.Path, new SourceMark(source.Path, 0, 0, workingDirectory), "", "compose file"))
            {
                anyFailed = true;
                continue;
            }
            var document = loader.Load(absolute, source.Path, source.Content, workingDirectory, Lookup, [], null, "");
            if (document is null)
            {
                anyFailed = true;
                continue;
            }
            merged = merged is null ? document : ComposeMerger.MergeDocuments(merged, document);
        }
        if (merged is null || anyFailed)
        {
            return null;
        }
        // As in compose: -p beats COMPOSE_PROJECT_NAME beats the top-level name; --profile beats COMPOSE_PROFILES.
        var projectName = ResolveProjectName(options.ProjectName ?? environment.GetValueOrDefault("COMPOSE_PROJECT_NAME"), merged, workingDirectory, diagnostics);
        var profiles = options.Profiles.Count > 0
            ? options.Profiles
            : (environment.GetValueOrDefault("COMPOSE_PROFILES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new AppMapper(diagnostics, Lookup, files.ReadFile, files.Display, hostPaths, options.Privilege, options.EnginePlatform).Map(merged, projectName ?? "invalid", profiles, options.TargetEnvironment);
    }

    private static string? ReadFile(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The project's .env sits under the caller's environment: a variable set in the shell wins.
    private static Dictionary<string, string> BuildEnvironment(string workingDirectory, IReadOnlyDictionary<string, string> callerEnvironment, ProjectFiles files)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var dotEnvPath = Path.Combine(workingDirectory, ".env");
        if (File.Exists(dotEnvPath) && !files.HostPaths.Check(dotEnvPath, ".env", new SourceMark(".env", 0, 0, workingDirectory), "", "project .env file"))
        {
            return new Dictionary<string, string>(callerEnvironment, StringComparer.Ordinal);
        }
        var text = files.ReadFile(dotEnvPath);
        if (text is not null)
        {
            var parsed = DotEnvParser.Parse(text, name => callerEnvironment.GetValueOrDefault(name));
            foreach (var (line, message) in parsed.Errors)
            {
                files.Diagnostics.Error(new SourceMark(".env", line, 1, workingDirectory), "", message);
            }
            foreach (var (key, value) in parsed.Values)
            {
                result[key] = value;
            }
        }
        foreach (var (key, value) in callerEnvironment)
        {
            result[key] = value;
        }
        return result;
    }

    [GeneratedRegex("[^a-z0-9_-]")]
    private static partial Regex InvalidProjectChars();

    private static string? ResolveProjectName(string? fromOptions, MappingNode root, string workingDirectory, DiagnosticBag diagnostics)
    {
        const string rule = "use lower-case letters, digits, '-' and '_', starting with a letter or digit (at most 63 characters)";
        if (fromOptions is not null)
        {
            if (!Names.IsValidAppName(fromOptions))
            {
                diagnostics.Error(new SourceMark("", 0, 0, workingDirectory), "", $"project name '{fromOptions}' is not valid: {rule}");
                return null;
            }
            return fromOptions;
        }
        if (root.Get("name") is ScalarNode { IsNull: false } nameNode)
        {
            if (!Names.IsValidAppName(nameNode.Value))
            {
                diagnostics.Error(nameNode, "name", $"project name '{nameNode.Value}' is not valid: {rule}");
                return null;
            }
            return nameNode.Value;
        }
        var normalised = InvalidProjectChars().Replace(Path.GetFileName(workingDirectory.TrimEnd('/')).ToLowerInvariant(), "").TrimStart('-', '_');
        if (normalised.Length > 63)
        {
            normalised = normalised[..63];
        }
        if (!Names.IsValidAppName(normalised))
        {
            diagnostics.Error(new SourceMark("", 0, 0, workingDirectory), "name", $"cannot derive a project name from the directory '{workingDirectory}': set a top-level 'name:'");
            return null;
        }
        return normalised;
    }
}
