using Gantry.Model.Api;
using Gantry.Model.Api.Identity;
using Gantry.Model.Api.Registry;
using Gantry.Registry;
using Gantry.Registry.Browsing;
using Gantry.Registry.Content;
using Gantry.Registry.Gc;
using Gantry.Server.Apps;
using Gantry.Server.Auth;
using Gantry.Server.Identity;

namespace Gantry.Server.Registry;

/// <summary>
/// The built-in registry's content for the API (`/api/v1/registry`), the CLI (`gantry registry`) and the console, under the
/// registry's own rule (<see cref="GantryTokenValidator.Grants"/>): a repository is seen by whoever may pull it (a role in its
/// team, the first path segment; admins everywhere) and is otherwise the same 404 as one that does not exist; deleting needs
/// the registry's delete grant (the admin role). Retention rules and starting a collection are the admins'.
/// </summary>
public sealed class RegistryService(RegistryBrowser browser, RegistryGarbageCollector collector, IRegistryMetadataStore metadata)
{
    public async Task<IReadOnlyList<RepositoryView>> ListRepositoriesAsync(Principal caller, CancellationToken ct)
    {
        var grants = new RegistryPrincipal(caller.Name, caller.IsRouter ? [] : GantryTokenValidator.Grants(caller));
        var repositories = await browser.ListRepositoriesAsync(r => grants.ActionsOn(r).HasFlag(RegistryActions.Pull), ct).ConfigureAwait(false);
        return [.. repositories.Select(r => new RepositoryView(r.Name, TeamOf(r.Name), r.Tags, r.LastPushedAt, r.LastPushedBy))];
    }

    public async Task<ChangeOutcome<RepositoryDetail>> GetRepositoryAsync(Principal caller, string repository, CancellationToken ct)
    {
        var actions = ActionsOn(caller, repository);
        if (!actions.HasFlag(RegistryActions.Pull) || await browser.ListTagsAsync(repository, ct).ConfigureAwait(false) is not { } tags)
        {
            return ChangeOutcome<RepositoryDetail>.Missing(Unknown(repository));
        }
        var rules = (await collector.RetentionPoliciesAsync(ct).ConfigureAwait(false)).Where(p => RepositoryPatterns.Matches(p.RepositoryPattern, repository));
        var untagged = await browser.ListUntaggedAsync(repository, ct).ConfigureAwait(false) ?? [];
        return ChangeOutcome<RepositoryDetail>.Accepted(new RepositoryDetail(repository, TeamOf(repository),
            [.. tags.Select(t => new TagView(t.Tag, t.Digest, t.MediaType, t.Size, t.PushedAt, t.PushedBy))],
            [.. untagged.Select(m => new ManifestView(m.Digest, m.MediaType, m.Size, m.PushedAt, m.PushedBy))],
            [.. rules.Select(ToView)],
            actions.HasFlag(RegistryActions.Delete)));
    }

    /// <summary>Deletes `REPO:TAG` (the tag only) or `REPO@DIGEST` (the manifest and every tag on it), as the registry's DELETE does.</summary>
    public async Task<ChangeOutcome<ImageDeleted>> DeleteAsync(Principal caller, string reference, CancellationToken ct)
    {
        if (ParseReference(reference) is not var (repository, tagOrDigest) || !ReferenceGrammar.IsValidName(repository))
        {
            return ChangeOutcome<ImageDeleted>.Invalid([new Diagnostic("error", "request", 0, 0, "reference",
                $"'{reference}' is not an image reference: write REPOSITORY:TAG (deletes the tag) or REPOSITORY@sha256:DIGEST (deletes the manifest and its tags)")]);
        }
        var actions = ActionsOn(caller, repository);
        if (!actions.HasFlag(RegistryActions.Pull))
        {
            return ChangeOutcome<ImageDeleted>.Missing(Unknown(repository));
        }
        if (!actions.HasFlag(RegistryActions.Delete))
        {
            return ChangeOutcome<ImageDeleted>.Forbidden($"deleting images in '{repository}' needs the admin role{(TeamOf(repository) is { } team ? $" in team '{team}'" : "")}; you are {caller.Describe()}");
        }
        var deletion = await browser.DeleteAsync(repository, tagOrDigest, caller.Name, ct).ConfigureAwait(false);
        return deletion.Result switch
        {
            ImageDeletionResult.Deleted => ChangeOutcome<ImageDeleted>.Accepted(new ImageDeleted(repository, deletion.Digest!, deletion.Tags)),
            ImageDeletionResult.InvalidReference => ChangeOutcome<ImageDeleted>.Invalid([new Diagnostic("error", "request", 0, 0, "reference",
                $"'{tagOrDigest}' is not a valid sha256 or sha512 digest")]),
            _ => ChangeOutcome<ImageDeleted>.Missing($"'{reference}' does not exist: no such {(Digest.LooksLikeDigest(tagOrDigest) ? "manifest" : "tag")} in repository '{repository}'"),
        };
    }

    /// <summary>The rules an admin sees all of; anyone else those naming one of their teams or starting with a wildcard.</summary>
    public async Task<IReadOnlyList<RetentionRuleView>> RetentionAsync(Principal caller, CancellationToken ct)
    {
        var rules = await collector.RetentionPoliciesAsync(ct).ConfigureAwait(false);
        return [.. rules.Where(r => caller.IsAdmin || r.RepositoryPattern.Split('/')[0] is var first && (first.Contains('*', StringComparison.Ordinal) || caller.RoleIn(first) is not null))
            .Select(ToView)];
    }

    public async Task<ChangeOutcome<RetentionRuleView>> SetRetentionAsync(Principal caller, RetentionRuleView rule, CancellationToken ct)
    {
        if (AdminOnly(caller) is { } denied)
        {
            return ChangeOutcome<RetentionRuleView>.Forbidden(denied);
        }
        var policy = new RetentionPolicy { RepositoryPattern = rule.Repository ?? "", KeepLastTags = rule.KeepLast, KeepTagsMatching = string.IsNullOrEmpty(rule.KeepMatching) ? null : rule.KeepMatching };
        var errors = policy.Validate();
        if (errors.Count > 0)
        {
            return ChangeOutcome<RetentionRuleView>.Invalid([.. errors.Select(e => new Diagnostic("error", "request", 0, 0, "retention", e))]);
        }
        await metadata.PutRetentionPolicyAsync(policy, ct).ConfigureAwait(false);
        return ChangeOutcome<RetentionRuleView>.Accepted(ToView(policy));
    }

    public async Task<ChangeOutcome<RetentionRuleView>> RemoveRetentionAsync(Principal caller, string pattern, CancellationToken ct)
    {
        if (AdminOnly(caller) is { } denied)
        {
            return ChangeOutcome<RetentionRuleView>.Forbidden(denied);
        }
        var existing = (await metadata.ListRetentionPoliciesAsync(ct).ConfigureAwait(false)).FirstOrDefault(p => p.RepositoryPattern == pattern);
        return existing is not null && await metadata.DeleteRetentionPolicyAsync(pattern, ct).ConfigureAwait(false)
            ? ChangeOutcome<RetentionRuleView>.Accepted(ToView(existing))
            : ChangeOutcome<RetentionRuleView>.Missing($"there is no retention rule for '{pattern}' (`gantry registry retention` lists them)");
    }

    /// <summary>The newest runs, newest first: those kept in registry.db (started by an admin, failed, or that removed something) and this process's.</summary>
    public async Task<IReadOnlyList<GcRunView>> RunsAsync(CancellationToken ct) => [.. (await collector.RunsAsync(ct).ConfigureAwait(false)).Select(ToView)];

    /// <summary>What a run started now would delete, without deleting; admins only (it names every team's images).</summary>
    public async Task<ChangeOutcome<GcPreviewView>> PreviewGcAsync(Principal caller, CancellationToken ct)
    {
        if (AdminOnly(caller) is { } denied)
        {
            return ChangeOutcome<GcPreviewView>.Forbidden(denied);
        }
        var preview = await collector.PreviewAsync(ct).ConfigureAwait(false);
        return ChangeOutcome<GcPreviewView>.Accepted(new GcPreviewView(
            [.. preview.Tags.Select(t => $"{t.Repository}:{t.Tag}")],
            [.. preview.Manifests.Select(m => $"{m.Repository}@{m.Digest}")],
            [.. preview.Blobs.Select(b => new GcBlobView(b.Digest, b.Size))],
            preview.Bytes, preview.UploadsExpiring));
    }

    /// <summary>Runs the collector now (after a run in progress) and answers with the finished run.</summary>
    public async Task<ChangeOutcome<GcRunView>> RunGcAsync(Principal caller, CancellationToken ct)
    {
        if (AdminOnly(caller) is { } denied)
        {
            return ChangeOutcome<GcRunView>.Forbidden(denied);
        }
        return ChangeOutcome<GcRunView>.Accepted(ToView(await collector.CollectAsync(caller.Name, ct).ConfigureAwait(false)));
    }

    /// <summary>"team/app:1" → ("team/app", "1"); "team/app@sha256:..." → ("team/app", "sha256:..."); null when it is neither.</summary>
    public static (string Repository, string Reference)? ParseReference(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return at > 0 && at < reference.Length - 1 ? (reference[..at], reference[(at + 1)..]) : null;
        }
        var colon = reference.LastIndexOf(':');
        if (colon <= 0 || colon < reference.LastIndexOf('/') || colon == reference.Length - 1)
        {
            return null;
        }
        var tag = reference[(colon + 1)..];
        return ReferenceGrammar.IsValidTag(tag) ? (reference[..colon], tag) : null;
    }

    /// <summary>The team a repository belongs to: its first path segment (`team/...`); null for a one-segment name.</summary>
    public static string? TeamOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? repository[..slash] : null;
    }

    private static RegistryActions ActionsOn(Principal caller, string repository) =>
        caller.IsRouter ? RegistryActions.None : new RegistryPrincipal(caller.Name, GantryTokenValidator.Grants(caller)).ActionsOn(repository);

    private static string Unknown(string repository) => $"repository '{repository}' does not exist";

    private static string? AdminOnly(Principal caller) => caller.IsAdmin ? null : $"only an admin may do this; you are {caller.Describe()}";

    private static RetentionRuleView ToView(RetentionPolicy p) => new(p.RepositoryPattern, p.KeepLastTags, p.KeepTagsMatching);

    private static GcRunView ToView(GarbageCollectionRun r) => new(r.Id, r.StartedAt, r.FinishedAt, r.StartedBy,
        r.Report?.TagsDeleted ?? 0, r.Report?.ManifestsDeleted ?? 0, r.Report?.BlobsDeleted ?? 0, r.Report?.BytesFreed ?? 0, r.Report?.UploadsExpired ?? 0, r.Error);
}
