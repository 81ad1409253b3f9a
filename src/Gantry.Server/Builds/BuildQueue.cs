namespace Gantry.Server.Builds;

/// <summary>
/// At most <c>slots</c> builds at once on the server; the others wait first come, first served. A waiting build knows its
/// position (1 = next) and hears each time it moves. In memory only: a restart fails the builds it held (<see cref="BuildService.RecoverAsync"/>).
/// </summary>
public sealed class BuildQueue
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private readonly int _slots;
    private int _running;

    public BuildQueue(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _slots = slots;
    }

    /// <summary>Builds holding a slot.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>The waiting build's position (1 = next to run); null when <paramref name="key"/> is not waiting.</summary>
    public int? PositionOf(object key)
    {
        lock (_lock)
        {
            var position = 1;
            for (var node = _waiting.First; node is not null; node = node.Next, position++)
            {
                if (Equals(node.Value.Key, key))
                {
                    return position;
                }
            }
            return null;
        }
    }

    /// <summary>
    /// A slot, at once when one is free and nobody waits, otherwise once every build ahead has had one. <paramref name="onPosition"/>
    /// hears the position when the build starts waiting and whenever it changes (on the thread that moved it: keep it quick).
    /// Dispose the slot when the build ends. Cancelling <paramref name="ct"/> leaves the queue.
    /// </summary>
    public async Task<IDisposable> EnterAsync(object key, Action<int>? onPosition, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        LinkedListNode<Waiter> node;
        int position;
        lock (_lock)
        {
            if (_running < _slots && _waiting.Count == 0)
            {
                _running++;
                return new Slot(this);
            }
            node = _waiting.AddLast(new Waiter(key, onPosition));
            position = node.Value.Position = _waiting.Count;
        }
        onPosition?.Invoke(position);
        await using (ct.Register(() => Leave(node, ct)).ConfigureAwait(false))
        {
            return await node.Value.Ready.Task.ConfigureAwait(false);
        }
    }

    private void Leave(LinkedListNode<Waiter> node, CancellationToken ct)
    {
        List<(Waiter, int)> moved;
        lock (_lock)
        {
            if (node.List is null)
            {
                return;
            }
            _waiting.Remove(node);
            moved = Renumber();
        }
        node.Value.Ready.TrySetCanceled(ct);
        Notify(moved);
    }

    private void Release()
    {
        var started = new List<Waiter>();
        List<(Waiter, int)> moved;
        lock (_lock)
        {
            _running--;
            while (_running < _slots && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                _running++;
                started.Add(first.Value);
            }
            moved = Renumber();
        }
        foreach (var waiter in started)
        {
            // Never completes inline: the released build's thread goes on with its own end.
            if (!waiter.Ready.TrySetResult(new Slot(this)))
            {
                Release();
            }
        }
        Notify(moved);
    }

    /// <summary>The waiters whose position changed (under the lock); they are told outside it.</summary>
    private List<(Waiter, int)> Renumber()
    {
        var moved = new List<(Waiter, int)>();
        var position = 1;
        for (var node = _waiting.First; node is not null; node = node.Next, position++)
        {
            if (node.Value.Position != position)
            {
                node.Value.Position = position;
                moved.Add((node.Value, position));
            }
        }
        return moved;
    }

    private static void Notify(List<(Waiter Waiter, int Position)> moved)
    {
        foreach (var (waiter, position) in moved)
        {
            waiter.OnPosition?.Invoke(position);
        }
    }

    private sealed class Waiter(object key, Action<int>? onPosition)
    {
        public object Key { get; } = key;

        public Action<int>? OnPosition { get; } = onPosition;

        public int Position { get; set; }

        public TaskCompletionSource<IDisposable> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(BuildQueue queue) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
