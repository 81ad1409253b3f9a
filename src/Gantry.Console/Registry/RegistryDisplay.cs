using System.Globalization;
using Gantry.Model.Api.Registry;

namespace Gantry.Console.Registry;

/// <summary>How the Registry pages word digests, rules, collection runs and deletes: pure, so the words are tested without a browser.</summary>
public static class RegistryDisplay
{
    /// <summary>"sha256:0123456789ab" (12 hex digits), as docker prints image ids; the full digest goes in the title.</summary>
    public static string ShortDigest(string digest) => digest.Length > 19 ? digest[..19] : digest;

    /// <summary>"team/app@sha256:0123456789ab": a `REPO@DIGEST` with its digest shortened.</summary>
    public static string ShortImage(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? image : image[..(at + 1)] + ShortDigest(image[(at + 1)..]);
    }

    /// <summary>"keep the newest 10, keep tags matching ^v; delete the other tags".</summary>
    public static string Rule(RetentionRuleView rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var keeps = new List<string>(2);
        if (rule.KeepLast is { } n)
        {
            keeps.Add(n == 1 ? "keep the newest tag" : $"keep the newest {n.ToString(CultureInfo.InvariantCulture)} tags");
        }
        if (rule.KeepMatching is { } pattern)
        {
            keeps.Add($"keep tags matching {pattern}");
        }
        return string.Join(", ", keeps) + "; delete the other tags";
    }

    /// <summary>What a run did, its error, or that it is still running.</summary>
    public static string Outcome(GcRunView run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Error is { } error)
        {
            return "failed: " + error;
        }
        if (run.FinishedAt is null)
        {
            return "running";
        }
        return $"{Count(run.TagsDeleted, "tag")} and {Count(run.ManifestsDeleted, "manifest")} removed by retention, "
            + $"{Count(run.BlobsDeleted, "blob")} ({Pages.Display.Bytes(run.BytesFreed)}) freed, {Count(run.UploadsExpired, "idle upload")} expired";
    }

    /// <summary>What a run started now would do, in a run's words: the preview's summary line.</summary>
    public static string Preview(GcPreviewView preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return $"{Count(preview.Tags.Count, "tag")} and {Count(preview.Manifests.Count, "manifest")} would be removed by retention, "
            + $"{Count(preview.Blobs.Count, "blob")} ({Pages.Display.Bytes(preview.BytesFreed)}) freed, {Count(preview.UploadsExpired, "idle upload")} expired";
    }

    /// <summary>For each digest, the tags naming it in listing order: a manifest delete takes them all, so the page says which.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> TagsByDigest(IReadOnlyList<TagView> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.GroupBy(t => t.Digest, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(t => t.Tag)], StringComparer.Ordinal);
    }

    /// <summary>
    /// Splits what a delete names: "team/app:v1" is the tag v1, "team/app@sha256:..." the manifest; null when it is neither
    /// (the server says why).
    /// </summary>
    public static (string Repository, string Reference, bool IsDigest)? Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && at < image.Length - 1)
        {
            return (image[..at], image[(at + 1)..], true);
        }
        var colon = image.LastIndexOf(':');
        return colon > 0 && colon > image.LastIndexOf('/') && colon < image.Length - 1 ? (image[..colon], image[(colon + 1)..], false) : null;
    }

    /// <summary>What deleting <paramref name="image"/> will do, for the confirmation: the tag alone, or the manifest with the tags on it.</summary>
    public static string WhatHappens(string image, IReadOnlyList<TagView> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (Parse(image) is not var (repository, reference, isDigest))
        {
            return $"'{image}' is not an image reference: REPOSITORY:TAG or REPOSITORY@DIGEST.";
        }
        if (!isDigest)
        {
            var digest = tags.FirstOrDefault(t => t.Tag == reference)?.Digest;
            var others = digest is null ? [] : tags.Where(t => t.Digest == digest && t.Tag != reference).Select(t => t.Tag).ToList();
            return $"The tag {reference} is removed from {repository}. The manifest{(digest is null ? "" : $" {ShortDigest(digest)}")} stays, "
                + (others.Count > 0 ? $"still tagged {string.Join(", ", others)}" : "reachable by its digest until it is deleted")
                + "; its layers are freed by a garbage collection once nothing references them.";
        }
        var named = TagsByDigest(tags).TryGetValue(reference, out var list) ? list : [];
        return $"The manifest {ShortDigest(reference)} is removed from {repository}"
            + (named.Count > 0 ? $" with its tag{(named.Count == 1 ? "" : "s")} {string.Join(", ", named)}" : " (no tag names it)")
            + ". Pulls of it fail from now on; its layers are freed by a garbage collection once nothing references them.";
    }

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
