using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Clients;

/// <summary>A small multi-layer image built locally FROM gantry/busybox:latest (a RUN and a COPY layer), removed on dispose.</summary>
public sealed class TestImage : IAsyncDisposable
{
    private readonly List<string> _tags = [];
    private readonly string _context;

    private TestImage(string tag, string context, string nonce)
    {
        Tag = tag;
        _context = context;
        Nonce = nonce;
        _tags.Add(tag);
    }

    public string Tag { get; }
    public string Nonce { get; }

    public static async Task<TestImage> BuildAsync()
    {
        string id = Guid.NewGuid().ToString("N")[..10];
        string context = Path.Combine(Path.GetTempPath(), "gdr-ctx-" + id);
        Directory.CreateDirectory(context);
        await File.WriteAllBytesAsync(Path.Combine(context, "payload.bin"), TestRegistry.RandomBytes(300_000));
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            $"FROM gantry/busybox:latest\nRUN echo {id} > /nonce.txt\nCOPY payload.bin /payload.bin\n");
        string tag = $"gdr-local-{id}:v1";
        await ProcessRunner.MustAsync("docker", ["build", "-q", "-t", tag, context]);
        return new TestImage(tag, context, id);
    }

    /// <summary>Adds a tag that is removed with the image.</summary>
    public async Task TagAsAsync(string target)
    {
        await ProcessRunner.MustAsync("docker", ["tag", Tag, target]);
        _tags.Add(target);
    }

    public void Track(string tag) => _tags.Add(tag);

    public async ValueTask DisposeAsync()
    {
        foreach (string tag in _tags)
        {
            await ProcessRunner.RunAsync("docker", ["rmi", "-f", tag]);
        }

        Directory.Delete(_context, recursive: true);
    }
}
