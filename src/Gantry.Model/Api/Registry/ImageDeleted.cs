namespace Gantry.Model.Api.Registry;

/// <summary>The answer to a delete (`gantry registry rm REPO:TAG|REPO@DIGEST`): the manifest concerned and the tags removed with it.</summary>
public sealed record ImageDeleted(string Repository, string Digest, IReadOnlyList<string> Tags);
