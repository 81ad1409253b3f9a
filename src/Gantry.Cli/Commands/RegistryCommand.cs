using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Output;
using Gantry.Model.Api;
using Gantry.Model.Api.Registry;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry registry`: the built-in registry's repositories you may pull; `registry tags REPO` (digest, size, who pushed when),
/// `registry rm REPO:TAG|REPO@DIGEST` (admins), `registry retention [set|rm]` (rules; admins change them) and
/// `registry gc [run [--dry-run]]` (collection runs; admins start one or preview what it would delete).
/// </summary>
public static class RegistryCommand
{
    public static Command Create(CliContext context)
    {
        var command = IdentityJson.Listing<RepositoryView>(context, "registry", "The built-in registry: repositories, tags, deletes, retention rules, garbage collection",
            "api/v1/registry/repositories", j => j.IReadOnlyListRepositoryView,
            ["REPOSITORY", "TEAM", "TAGS", "LAST PUSH", "BY"],
            r => [r.Name, r.Team ?? "-", r.Tags.ToString(CultureInfo.InvariantCulture), r.LastPushedAt is { } at ? IdentityJson.Time(at) : "-", r.LastPushedBy ?? "-"]);
        command.Add(Tags(context));
        command.Add(Remove(context));
        command.Add(Retention(context));
        command.Add(Gc(context));
        return command;
    }

    private static Command Tags(CliContext context)
    {
        var repository = new Argument<string>("REPOSITORY") { Description = "Repository name, e.g. team/app" };
        var output = SharedOptions.Output();
        var tags = new Command("tags", "A repository's tags: digest, size, who pushed when, and the retention rules that apply") { repository, output };
        tags.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var detail = await api.CallAsync(HttpMethod.Get, "api/v1/registry/repositories/" + PathOf(parse.GetRequiredValue(repository)), null,
                ApiJsonContext.Default.RepositoryDetail, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == "json")
            {
                JsonOutput.Write(context.Out, detail, JsonOutput.Indented.RepositoryDetail);
                return ExitCodes.Ok;
            }
            // Manifests no tag names are listed as docker lists dangling images: `registry rm REPO@DIGEST` deletes them.
            TableWriter.Write(context.Out, ["TAG", "DIGEST", "SIZE", "PUSHED", "BY"], detail.Tags.Select(t => (IReadOnlyList<string>)
                [t.Tag, ShortDigest(t.Digest), Humanize.Bytes(t.Size), IdentityJson.Time(t.PushedAt), t.PushedBy ?? "-"])
                .Concat(detail.Untagged.Select(m => (IReadOnlyList<string>)
                [UntaggedTag, ShortDigest(m.Digest), Humanize.Bytes(m.Size), IdentityJson.Time(m.PushedAt), m.PushedBy ?? "-"])));
            foreach (var rule in detail.Retention)
            {
                await context.Out.WriteLineAsync($"retention ({rule.Repository}): {Describe(rule)}").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return tags;
    }

    private static Command Remove(CliContext context)
    {
        var reference = new Argument<string>("REFERENCE") { Description = "REPOSITORY:TAG (the tag only) or REPOSITORY@sha256:DIGEST (the manifest and every tag on it)" };
        var rm = new Command("rm", "Delete a tag, or a manifest with its tags; the collector frees the layers later (admins)") { reference };
        rm.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var deleted = await api.CallAsync(HttpMethod.Delete, "api/v1/registry/images/" + PathOf(parse.GetRequiredValue(reference)), null,
                ApiJsonContext.Default.ImageDeleted, ct).ConfigureAwait(false);
            var tags = deleted.Tags.Count == 0 ? "no tags" : "tag(s) " + string.Join(", ", deleted.Tags);
            await context.Out.WriteLineAsync($"deleted {tags} of {deleted.Repository} ({ShortDigest(deleted.Digest)})").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        return rm;
    }

    private static Command Retention(CliContext context)
    {
        var retention = IdentityJson.Listing<RetentionRuleView>(context, "retention", "Retention rules the garbage collector applies (admins set and remove them)",
            "api/v1/registry/retention", j => j.IReadOnlyListRetentionRuleView, ["REPOSITORY", "RULE"], r => [r.Repository, Describe(r)]);

        var pattern = new Argument<string>("PATTERN") { Description = "Repositories the rule applies to: a name with '*' wildcards, e.g. team/*" };
        var keepLast = new Option<int?>("--keep-last") { Description = "Keep this many most recently pushed tags" };
        var keepMatching = new Option<string?>("--keep-matching") { Description = "Always keep tags matching this regular expression, e.g. ^v[0-9]+" };
        var set = new Command("set", "Add or replace the rule for PATTERN; the next collection applies it") { pattern, keepLast, keepMatching };
        set.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var request = new RetentionRuleView(parse.GetRequiredValue(pattern), parse.GetValue(keepLast), parse.GetValue(keepMatching));
            var rule = await api.CallAsync(HttpMethod.Put, "api/v1/registry/retention", IdentityJson.Body(request, ApiJsonContext.Default.RetentionRuleView),
                ApiJsonContext.Default.RetentionRuleView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"retention for {rule.Repository}: {Describe(rule)}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));

        var removePattern = new Argument<string>("PATTERN") { Description = "The rule's repository pattern, as `gantry registry retention` lists it" };
        var rm = new Command("rm", "Remove the rule for PATTERN") { removePattern };
        rm.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            var rule = await api.CallAsync(HttpMethod.Delete, "api/v1/registry/retention/" + PathOf(parse.GetRequiredValue(removePattern)), null,
                ApiJsonContext.Default.RetentionRuleView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"removed the retention rule for {rule.Repository}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }).ConfigureAwait(false));
        retention.Add(set);
        retention.Add(rm);
        return retention;
    }

    private static Command Gc(CliContext context)
    {
        var gc = IdentityJson.Listing<GcRunView>(context, "gc", "Garbage-collection runs, newest first (those that removed something or that an admin started are kept across restarts); `gc run` starts one (admins)",
            "api/v1/registry/gc", j => j.IReadOnlyListGcRunView,
            ["RUN", "STARTED", "BY", "OUTCOME"], r => [r.Id.ToString(CultureInfo.InvariantCulture), IdentityJson.Time(r.StartedAt), r.StartedBy ?? "schedule", Outcome(r)]);
        var dryRun = new Option<bool>("--dry-run") { Description = "List what a run would delete and the bytes it would free, deleting nothing" };
        var output = SharedOptions.Output();
        var run = new Command("run", "Collect now: apply retention, delete unreferenced blobs past their grace period, expire idle uploads") { dryRun, output };
        run.SetAction(async (parse, ct) => await SharedOptions.WithApiAsync(context, parse, async api =>
        {
            if (parse.GetValue(dryRun))
            {
                var preview = await api.CallAsync(HttpMethod.Get, "api/v1/registry/gc/preview", null, ApiJsonContext.Default.GcPreviewView, ct).ConfigureAwait(false);
                if (parse.GetValue(output) == "json")
                {
                    JsonOutput.Write(context.Out, preview, JsonOutput.Indented.GcPreviewView);
                    return ExitCodes.Ok;
                }
                await WritePreviewAsync(context.Out, preview).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var finished = await api.CallAsync(HttpMethod.Post, "api/v1/registry/gc", null, ApiJsonContext.Default.GcRunView, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"run {finished.Id}: {Outcome(finished)}").ConfigureAwait(false);
            return finished.Error is null ? ExitCodes.Ok : ExitCodes.Failed;
        }).ConfigureAwait(false));
        gc.Add(run);
        return gc;
    }

    /// <summary>Each image and blob a run would delete, then one summary line (its numbers in a run's words).</summary>
    internal static async Task WritePreviewAsync(TextWriter output, GcPreviewView preview)
    {
        foreach (var tag in preview.Tags)
        {
            await output.WriteLineAsync($"would delete tag {tag}").ConfigureAwait(false);
        }
        foreach (var manifest in preview.Manifests)
        {
            await output.WriteLineAsync($"would delete manifest {manifest}").ConfigureAwait(false);
        }
        foreach (var blob in preview.Blobs)
        {
            await output.WriteLineAsync($"would delete blob {ShortDigest(blob.Digest)} ({Humanize.Bytes(blob.Size)})").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"dry run: {PreviewSummary(preview)}; nothing was deleted").ConfigureAwait(false);
    }

    internal static string PreviewSummary(GcPreviewView preview) =>
        $"{preview.Tags.Count} tag(s) and {preview.Manifests.Count} manifest(s) by retention, {preview.Blobs.Count} blob(s) ({Humanize.Bytes(preview.BytesFreed)}) to free, {preview.UploadsExpired} idle upload(s) to expire";

    /// <summary>What the tags table prints for a manifest no tag names (docker's word for dangling images).</summary>
    internal const string UntaggedTag = "<none>";

    internal static string Describe(RetentionRuleView rule) =>
        string.Join(", ", new[]
        {
            rule.KeepLast is { } n ? $"keep the newest {n}" : null,
            rule.KeepMatching is { } re ? $"keep tags matching {re}" : null,
        }.Where(s => s is not null)) + "; delete the other tags";

    internal static string Outcome(GcRunView run) =>
        run.Error is { } error ? "failed: " + error
        : run.FinishedAt is null ? "running"
        : $"{run.TagsDeleted} tag(s) and {run.ManifestsDeleted} manifest(s) by retention, {run.BlobsDeleted} blob(s) ({Humanize.Bytes(run.BytesFreed)}) freed, {run.UploadsExpired} idle upload(s) expired";

    /// <summary>"sha256:0123456789ab" (12 hex digits), as docker prints image ids.</summary>
    internal static string ShortDigest(string digest) => digest.Length > 19 ? digest[..19] : digest;

    /// <summary>A repository name or reference in a URL path: its '/' kept, everything else escaped.</summary>
    private static string PathOf(string text) => IdentityJson.Path(text.Split('/'));
}
