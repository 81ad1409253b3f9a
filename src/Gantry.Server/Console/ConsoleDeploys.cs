using System.Formats.Tar;
using System.IO.Compression;
using Gantry.Console;
using Gantry.Console.Deploys;
using Gantry.Controllers.Apps;
using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Console;

/// <summary>
/// The console's deploys: the pasted or uploaded files become the same tar.gz bundle the CLI uploads, and go through
/// <see cref="BundleDeployer"/> as the signed-in user, behind the API's access rule for an existing app.
/// </summary>
public sealed class ConsoleDeploys(BundleDeployer deployer, IResourceStore store) : IConsoleDeploys
{
    public DeployTeams TeamsFor(HttpContext context)
    {
        var principal = context.Principal();
        var teams = principal.Teams.Where(t => t.Value >= Role.Deployer).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        return new DeployTeams(teams, principal.IsAdmin);
    }

    public async Task<ConsoleChange<DeployResponse>> DeployAsync(HttpContext context, string app, ConsoleDeployRequest request, CancellationToken ct)
    {
        // As the API's gate does for PUT /api/v1/apps/{app}: an existing app needs deployer in its team (no role there: 404);
        // a new one is decided by the deploy, which knows the team asked for.
        if (await store.GetAppAsync(app, ct).ConfigureAwait(false) is { } existing
            && AppAccess.Check(context.Principal(), app, existing.Spec.TeamName, Role.Deployer) is { } denied)
        {
            return ConsoleChange<DeployResponse>.Failed(denied);
        }
        using var bundle = new MemoryStream();
        await WriteBundleAsync(bundle, request.Files, ct).ConfigureAwait(false);
        bundle.Position = 0;
        var (response, problem) = await deployer.DeployAsync(app, new DeployRequest
        {
            Files = request.ComposeFiles,
            Environment = request.Environment,
            Team = string.IsNullOrWhiteSpace(request.Team) ? null : request.Team,
            DryRun = request.DryRun,
        }, bundle, context.Principal(), ct).ConfigureAwait(false);
        return problem is null ? ConsoleChange<DeployResponse>.Done(response!) : ConsoleChange<DeployResponse>.Failed(problem);
    }

    /// <summary>The files as a gzip'd tar at the project's top level, the shape the CLI's bundle writer sends.</summary>
    private static async Task WriteBundleAsync(Stream destination, IReadOnlyList<ConsoleFile> files, CancellationToken ct)
    {
        await using var gzip = new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var file in files)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Name)
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                DataStream = new MemoryStream(file.Content, writable: false),
            };
            await tar.WriteEntryAsync(entry, ct).ConfigureAwait(false);
        }
    }
}
