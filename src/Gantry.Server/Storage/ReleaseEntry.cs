using Gantry.Model.Releases;

namespace Gantry.Server.Storage;

/// <summary>One stored release as the retention rules see it: what was deployed and what became of it.</summary>
public sealed record ReleaseEntry(ReleaseRecord Record, ReleaseState State)
{
    /// <summary>Every image id the release pins: the ids pulled images were pinned to at deploy, and the ids the controller resolved or built.</summary>
    public IEnumerable<string> ImageIds =>
        Record.Spec.Services.Select(s => s.PinnedImage).Concat(State.ImageIds.Values).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal);

    public string Name => ReleaseRecord.NameOf(Record.App, Record.Number);
}
