using System.Diagnostics;

namespace Gantry.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway git work tree driven by Debian's real git (the client users have), with its own HOME and no system or
/// global configuration, so nothing of the machine's git setup (credential helpers, templates) changes what a test sees.
/// </summary>
public sealed class GitWorkTree : IDisposable
{
    private readonly string _home;

    public GitWorkTree()
    {
        var root = Path.Combine(Path.GetTempPath(), "gantry-it-git-" + Guid.NewGuid().ToString("N")[..8]);
        Directory = Path.Combine(root, "work");
        _home = Path.Combine(root, "home");
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(_home);
    }

    public string Directory { get; }

    /// <summary>A fresh repository on branch main with these files committed.</summary>
    public static async Task<GitWorkTree> InitAsync(params (string Path, string Content)[] files)
    {
        var tree = new GitWorkTree();
        (await tree.RunAsync("init", "-q", "-b", "main")).EnsureSuccess();
        await tree.CommitAsync("first", files);
        return tree;
    }

    /// <summary>Writes the files and commits them; returns the new commit's full id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = System.IO.Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }
        (await RunAsync("add", "-A")).EnsureSuccess();
        (await RunAsync("commit", "-q", "-m", message)).EnsureSuccess();
        return (await RunAsync("rev-parse", "HEAD")).EnsureSuccess().Output.Trim();
    }

    public Task<GitResult> RunAsync(params string[] args) => RunInAsync(Directory, args);

    public async Task<GitResult> RunInAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("user.name=Tess Tester");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("user.email=tess@example.com");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["HOME"] = _home;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment.Remove("GIT_ASKPASS");
        start.Environment.Remove("SSH_ASKPASS");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', args)} did not finish in 4 minutes:\n{await output}\n{await error}");
        }
        return new GitResult(process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(System.IO.Path.GetDirectoryName(Directory)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a git run printed (the server's `remote:` lines are on standard error) and returned.</summary>
public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public GitResult EnsureSuccess() => ExitCode == 0 ? this : throw new InvalidOperationException(ToString());

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
