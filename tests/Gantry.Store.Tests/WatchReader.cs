namespace Gantry.Store.Tests;

/// <summary>Reads a watch stream step by step, failing the test instead of hanging if nothing arrives.</summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly IAsyncEnumerator<ResourceChange> _enumerator;

    public WatchReader(Func<CancellationToken, IAsyncEnumerable<ResourceChange>> watch)
    {
        _enumerator = watch(_timeout.Token).GetAsyncEnumerator(_timeout.Token);
    }

    /// <summary>Every change delivered so far, in order.</summary>
    public List<ResourceChange> Seen { get; } = [];

    public async Task<ResourceChange> NextAsync()
    {
        Assert.True(await _enumerator.MoveNextAsync(), "the watch ended unexpectedly");
        Seen.Add(_enumerator.Current);
        return _enumerator.Current;
    }

    public async Task<bool> EndedAsync() => !await _enumerator.MoveNextAsync();

    /// <summary>Reads until <paramref name="stop"/> matches; returns what was read, including the match.</summary>
    public async Task<List<ResourceChange>> ReadUntilAsync(Func<ResourceChange, bool> stop)
    {
        var read = new List<ResourceChange>();
        while (true)
        {
            var change = await NextAsync();
            read.Add(change);
            if (stop(change))
            {
                return read;
            }
        }
    }

    /// <summary>The state a consumer holds after applying <see cref="Seen"/>.</summary>
    public Dictionary<(string Kind, string Name), StoredResource> State()
    {
        var state = new Dictionary<(string Kind, string Name), StoredResource>();
        foreach (var change in Seen)
        {
            if (change.Type == ResourceChangeType.Deleted)
            {
                Assert.True(state.Remove((change.Resource!.Kind, change.Resource.Name)), $"Deleted {change.Resource.Name} was never added");
            }
            else if (change.Type != ResourceChangeType.Synced)
            {
                state[(change.Resource!.Kind, change.Resource.Name)] = change.Resource;
            }
        }
        return state;
    }

    public static async Task AssertStateMatchesAsync(WatchReader reader, IResourceStore store, string kind)
    {
        var expected = (await store.ListAsync(kind)).ToDictionary(r => (r.Kind, r.Name));
        var actual = reader.State();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, resource) in expected)
        {
            Assert.Equal(resource, actual[key]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _enumerator.DisposeAsync();
        _timeout.Dispose();
    }
}
