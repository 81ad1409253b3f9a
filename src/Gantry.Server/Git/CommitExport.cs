using Gantry.Server.Bundles;

namespace Gantry.Server.Git;

/// <summary>A commit of a bare repository as a bundle, for a push, a webhook's fetch and a promotion alike.</summary>
public static class CommitExport
{
    /// <summary>`git archive` of the commit, gzip'd by git itself, streamed into the bundle store: no working tree, nothing buffered whole.</summary>
    public static async Task<BundleLease> ExportAsync(BundleStore bundles, string repository, string commit, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        using var archive = GitProcess.Start(["--git-dir", repository, "archive", "--format=tar.gz", "-1", commit], environment);
        var errors = archive.StandardError.ReadToEndAsync(ct);
        BundleLease lease;
        try
        {
            lease = await bundles.ExtractAsync(archive.StandardOutput.BaseStream, temporary: false, ct).ConfigureAwait(false);
        }
        catch
        {
            archive.Kill(entireProcessTree: true);
            throw;
        }
        await archive.WaitForExitAsync(ct).ConfigureAwait(false);
        if (archive.ExitCode != 0)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"git archive failed ({archive.ExitCode}): {(await errors.ConfigureAwait(false)).Trim()}");
        }
        return lease;
    }
}
