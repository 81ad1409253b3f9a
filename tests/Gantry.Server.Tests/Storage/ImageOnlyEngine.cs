using System.Collections.Concurrent;
using Gantry.Controllers.Engine;
using Gantry.Model;

namespace Gantry.Server.Tests.Storage;

/// <summary>A fake engine that only holds images (id → size, and which are in use): retention touches nothing else.</summary>
public sealed class ImageOnlyEngine : NarrowEngine, IEngineDriver
{
    protected override string Seam => "retention uses only the image members of the engine driver";

    public ConcurrentDictionary<string, long> Images { get; } = new(StringComparer.Ordinal);

    public HashSet<string> InUse { get; } = new(StringComparer.Ordinal);

    public List<string> Removed { get; } = [];

    public override Task<long?> GetImageSizeAsync(string idOrReference, CancellationToken ct) =>
        Task.FromResult(Images.TryGetValue(idOrReference, out var size) ? size : (long?)null);

    public override Task<ImageRemoval> RemoveImageAsync(string id, CancellationToken ct)
    {
        if (InUse.Contains(id))
        {
            return Task.FromResult(ImageRemoval.InUse);
        }
        if (!Images.TryRemove(id, out _))
        {
            return Task.FromResult(ImageRemoval.Missing);
        }
        lock (Removed)
        {
            Removed.Add(id);
        }
        return Task.FromResult(ImageRemoval.Removed);
    }

    public override Task<string?> GetImageIdAsync(string reference, CancellationToken ct) => Task.FromResult(Images.ContainsKey(reference) ? reference : null);

    }
