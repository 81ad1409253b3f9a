using Gantry.Compose.Yaml;

namespace Gantry.Compose.HostPaths;

/// <summary>Applies a <see cref="HostPathPolicy"/> for one load: each refused path becomes a diagnostic at the key that names it, saying how to allow it.</summary>
/// <remarks>
/// Paths are compared by their real path (every symbolic link resolved), because that is what the
/// engine mounts and what a read opens. The root and the allowed entries are resolved once per load.
/// </remarks>
internal sealed class HostPathGuard
{
    // Where the Docker socket lives on Linux; a bind of one of them, or of a directory holding them, is root on the host.
    private static readonly string[] s_socketPaths = ["/var/run/docker.sock", "/run/docker.sock"];

    private readonly HostPathPolicy _policy;
    private readonly DiagnosticBag _diagnostics;
    private readonly string _root;
    private readonly string _lexicalRoot;
    private readonly List<string> _allowed;
    private readonly List<string> _sockets;

    public HostPathGuard(HostPathPolicy policy, string workingDirectory, DiagnosticBag diagnostics)
    {
        _policy = policy;
        _diagnostics = diagnostics;
        _lexicalRoot = RealPath.Normalise(policy.ProjectRoot ?? workingDirectory);
        _root = Real(_lexicalRoot);
        _allowed = policy.AllowedPaths.Where(p => p.Length > 0).Select(Real).Distinct(StringComparer.Ordinal).ToList();
        _sockets = s_socketPaths.Concat(s_socketPaths.Select(Real)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>True when the path may be used; the backstop for reads, which must never open a refused file even where a caller forgot to check.</summary>
    public bool Permits(string absolutePath) => !_policy.Enforced || Classify(absolutePath, out _) is HostPathVerdict.InsideProject or HostPathVerdict.Allowed;

    public bool Check(string absolutePath, string written, ComposeNode at, string fieldPath, string what) =>
        Check(absolutePath, written, at.Mark, fieldPath, what);

    /// <summary>True when the path may be used; otherwise reports why at <paramref name="at"/> and returns false.</summary>
    /// <param name="written">The value as the user wrote it, so the message quotes their text.</param>
    /// <param name="what">The key in words ("bind mount source", "env_file"), for the message.</param>
    public bool Check(string absolutePath, string written, SourceMark at, string fieldPath, string what)
    {
        if (!_policy.Enforced)
        {
            return true;
        }
        var verdict = Classify(absolutePath, out var real);
        if (verdict is HostPathVerdict.InsideProject or HostPathVerdict.Allowed)
        {
            if (verdict == HostPathVerdict.Allowed && _policy.NonAdminCaller is { } caller && (real == "/" || IsDockerSocket(real)))
            {
                _diagnostics.Error(at, fieldPath, $"{what} '{written}' is {(real == "/" ? "the host's root directory" : "the Docker socket or a directory holding it")}, which gives root on the host: only an admin may deploy it, even where the server allows the path; you are {caller}. Ask an admin to deploy this change");
                return false;
            }
            return true;
        }
        // A path written outside the project is named as written (the admin allows that); one that leaves the
        // project through a link is named by its target, since the bundle's own path changes with every deploy.
        var lexical = RealPath.Normalise(absolutePath);
        var viaLink = real != lexical && (RealPath.IsWithin(lexical, _root) || RealPath.IsWithin(lexical, _lexicalRoot));
        var resolves = viaLink ? $" (it resolves to '{real}' through a symbolic link)"
            : written != lexical ? $" (it resolves to '{lexical}')" : "";
        var allow = $"{_policy.AllowCommand} {(viaLink ? real : lexical)}";
        var message = verdict switch
        {
            HostPathVerdict.HostRoot =>
                $"{what} '{written}'{resolves} is the host's root directory, which a deploy may not use: refused unless an admin allows this exact path on the server ({allow})",
            HostPathVerdict.DockerSocket =>
                $"{what} '{written}'{resolves} is the Docker socket or a directory holding it, which gives root on the host: refused unless an admin allows this exact path on the server ({allow})",
            HostPathVerdict.TooManyLinks =>
                $"{what} '{written}' follows more than 40 symbolic links (a loop?): use a plain path inside the project directory",
            _ =>
                $"{what} '{written}'{resolves} is outside the project directory: a deploy may only use host paths inside its uploaded project; move it into the project, or have an admin allow it on the server ({allow})",
        };
        _diagnostics.Error(at, fieldPath, message);
        return false;
    }

    /// <summary>Where a path stands under the policy, by its real path (returned in <paramref name="real"/>).</summary>
    public HostPathVerdict Classify(string absolutePath, out string real)
    {
        var resolved = RealPath.Resolve(RealPath.Normalise(absolutePath));
        if (resolved is null)
        {
            real = RealPath.Normalise(absolutePath);
            return HostPathVerdict.TooManyLinks;
        }
        real = resolved;
        var exact = _allowed.Contains(resolved, StringComparer.Ordinal);
        if (resolved == "/")
        {
            return exact ? HostPathVerdict.Allowed : HostPathVerdict.HostRoot;
        }
        if (IsDockerSocket(resolved))
        {
            return exact ? HostPathVerdict.Allowed : HostPathVerdict.DockerSocket;
        }
        if (RealPath.IsWithin(resolved, _root))
        {
            return HostPathVerdict.InsideProject;
        }
        return _allowed.Any(a => RealPath.IsWithin(resolved, a)) ? HostPathVerdict.Allowed : HostPathVerdict.OutsideProject;
    }

    // The socket, or a directory it sits in (/run, /var/run, /var): binding those exposes it too. Outside the
    // project any docker*.sock counts (rootless and Desktop daemons put theirs elsewhere); a file of that name
    // inside the bundle is only a file, since extraction writes no sockets.
    private bool IsDockerSocket(string real)
    {
        if (_sockets.Any(s => RealPath.IsWithin(s, real)))
        {
            return true;
        }
        var name = Path.GetFileName(real);
        return !RealPath.IsWithin(real, _root)
            && name.StartsWith("docker", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".sock", StringComparison.OrdinalIgnoreCase);
    }

    private static string Real(string path)
    {
        var normalised = RealPath.Normalise(path);
        return RealPath.Resolve(normalised) ?? normalised;
    }
}
