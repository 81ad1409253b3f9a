using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Git;

/// <summary>
/// The bare repositories, one per app, at `&lt;data&gt;/git/APP.git`: created by the first push to a new name (then made the
/// app by the deploy), each with Gantry's pre-receive hook. Only names parsed by <see cref="GitRepositoryName"/> get here.
/// </summary>
/// <remarks>
/// A repository is created in a temporary directory and renamed into place, so a crash never leaves half of one under an
/// app's name. One whose app was removed (it still has refs, but no app owns it) is replaced by an empty one on the next
/// push, so a new app of the same name, perhaps another team's, never inherits the old history.
/// </remarks>
public sealed class GitRepositories(string root, ILogger<GitRepositories> logger)
{
    /// <summary>The hook: it only hands the push to the server (docs/decisions/0018); run outside a push through the server, it refuses.</summary>
    public const string HookScript = """
        #!/bin/sh
        # Installed by Gantry (docs/decisions/0018). The deploy runs in the Gantry server: this hook only passes the push
        # to it, with the one-time credential the server gave this push (in the environment, never on disk).
        if [ -z "$GANTRY_PUSH_URL" ] || [ -z "$GANTRY_HOOK_EXE" ]; then
          echo "gantry: push to this repository through the Gantry server (http://HOST/git/APP.git)" >&2
          exit 1
        fi
        exec "$GANTRY_HOOK_EXE" ${GANTRY_HOOK_DLL:+"$GANTRY_HOOK_DLL"} git-hook

        """;

    private readonly string _root = Path.GetFullPath(root);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public string Root => _root;

    /// <summary>The directory of <paramref name="app"/>'s repository (a parsed app name only).</summary>
    public string PathOf(string app) => Path.Combine(_root, app + GitRepositoryName.Suffix);

    public bool Exists(string app) => Directory.Exists(PathOf(app));

    /// <summary>Held for a whole push: pushes to one app run one after the other, so each deploys and updates its ref before the next looks.</summary>
    public SemaphoreSlim LockOf(string app) => _locks.GetOrAdd(app, _ => new SemaphoreSlim(1, 1));

    /// <summary>
    /// Makes sure <paramref name="app"/>'s repository exists (created empty when missing, or replaced when no app owns its
    /// history) and has the current hook. Call under <see cref="LockOf"/>.
    /// </summary>
    public async Task<string> EnsureAsync(string app, bool appExists, CancellationToken ct)
    {
        var path = PathOf(app);
        if (Directory.Exists(path) && !appExists && HasRefs(path))
        {
            var trash = Path.Combine(_root, $".removed-{app}-{Guid.NewGuid():N}");
            Directory.Move(path, trash);
            Directory.Delete(trash, recursive: true);
            GitLog.StaleRepositoryReplaced(logger, app);
        }
        if (!Directory.Exists(path))
        {
            await CreateAsync(app, path, ct).ConfigureAwait(false);
        }
        EnsureHook(path);
        return path;
    }

    /// <summary>The repository's branches (names under refs/heads).</summary>
    public async Task<IReadOnlySet<string>> BranchesAsync(string path, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(["--git-dir", path, "for-each-ref", "--format=%(refname:strip=2)", "refs/heads/"], ct: ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new IOException($"git for-each-ref failed in {path}: {result.Error.Trim()}");
        }
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Points HEAD (what a clone checks out) at <paramref name="branch"/>; writes only when it points elsewhere.</summary>
    public async Task PointHeadAtAsync(string path, string branch, CancellationToken ct)
    {
        var head = await GitProcess.RunAsync(["--git-dir", path, "symbolic-ref", "HEAD"], ct: ct).ConfigureAwait(false);
        if (head.Output.Trim() != RefUpdate.BranchPrefix + branch)
        {
            await RunOrThrowAsync(["--git-dir", path, "symbolic-ref", "HEAD", RefUpdate.BranchPrefix + branch], ct).ConfigureAwait(false);
        }
    }

    /// <summary>The object a ref names now, or null when it does not exist.</summary>
    public async Task<string?> ResolveAsync(string path, string reference, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(["--git-dir", path, "rev-parse", "--verify", "--quiet", reference], ct: ct).ConfigureAwait(false);
        var id = result.Output.Trim();
        return result.Succeeded && RefUpdate.IsObjectId(id) ? id : null;
    }

    /// <summary>Where the hook finds the gantry executable: this process's (with its dll when it runs under `dotnet`).</summary>
    public static (string Exe, string? Dll) HookCommand()
    {
        var exe = Environment.ProcessPath ?? "gantry";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" && entry is { Length: > 0 } && entry.EndsWith(".dll", StringComparison.Ordinal)
            ? (exe, entry)
            : (exe, null);
    }

    private async Task CreateAsync(string app, string path, CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var staging = Path.Combine(_root, $".new-{app}-{Guid.NewGuid():N}");
        try
        {
            // No template: no sample hooks, no description file; the branch clones check out is main.
            await RunOrThrowAsync(["init", "--quiet", "--bare", "--template=", "--initial-branch=main", staging], ct).ConfigureAwait(false);
            foreach (var (key, value) in new[]
            {
                ("http.receivepack", "true"),          // pushes over smart HTTP (the server authenticated the caller)
                ("receive.advertisePushOptions", "true"), // git push -o async / -o team=T
                ("receive.fsckObjects", "true"),      // refuse malformed objects at the door
                ("core.logAllRefUpdates", "true"),    // a reflog of what each push moved
            })
            {
                await RunOrThrowAsync(["--git-dir", staging, "config", key, value], ct).ConfigureAwait(false);
            }
            Directory.CreateDirectory(Path.Combine(staging, "hooks"));
            EnsureHook(staging);
            Directory.Move(staging, path);
            GitLog.RepositoryCreated(logger, app);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
    }

    /// <summary>Writes the hook only when it is missing or differs (an older Gantry's): a push that changes nothing writes nothing.</summary>
    private static void EnsureHook(string repository)
    {
        var hook = Path.Combine(repository, "hooks", "pre-receive");
        if (File.Exists(hook) && File.ReadAllText(hook) == HookScript)
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
        var temporary = hook + ".tmp";
        File.WriteAllText(temporary, HookScript);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.Move(temporary, hook, overwrite: true);
    }

    /// <summary>Any branch or tag: loose refs or packed ones.</summary>
    private static bool HasRefs(string repository)
    {
        var packed = Path.Combine(repository, "packed-refs");
        if (File.Exists(packed) && File.ReadLines(packed).Any(l => l.Length > 0 && l[0] != '#'))
        {
            return true;
        }
        var refs = Path.Combine(repository, "refs");
        return Directory.Exists(refs) && Directory.EnumerateFiles(refs, "*", SearchOption.AllDirectories).Any();
    }

    private static async Task RunOrThrowAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var result = await GitProcess.RunAsync(arguments, ct: ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new IOException($"git failed ({result.ExitCode}): {result.Error.Trim()}");
        }
    }
}
