namespace Gantry.Server.Storage;

/// <summary>An image no kept release (and no app's current state) references any more.</summary>
/// <param name="Id">The image id.</param>
/// <param name="Releases">The pruned releases that referenced it (app.number).</param>
public sealed record ImagePrune(string Id, IReadOnlyList<string> Releases);
