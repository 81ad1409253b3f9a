using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Gantry.Router.Transport;

/// <summary>
/// One thread waiting on one epoll set for the router's data-path sockets (<see cref="LoopSocket"/>), and running what their
/// readiness completes inline, as an nginx worker does (docs/decisions/0036). The loops are process-wide, one per core (or
/// GANTRY_ROUTER_EVENT_LOOPS), started on first use and never stopped, like the runtime's own socket engine threads.
/// </summary>
/// <remarks>Why not the runtime's engine: it tries every receive at once, so a request costs two failed reads (the client's next
/// request and the upstream's answer are never there yet) and four wakeups for two sockets that may sit on different engine
/// threads. A loop here remembers that a read came back short and waits for the next edge instead, and a request's upstream
/// connection is made and reused on the loop that serves its client.</remarks>
public sealed unsafe class EventLoop
{
    private const int MaxEvents = 256;

    private static readonly Lazy<EventLoop[]> s_loops = new(Start);
    private static long s_nextId;
    private static int s_next = -1;

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly int _epoll;
    private readonly ConcurrentDictionary<ulong, LoopSocket> _sockets = new();

    private EventLoop(int index)
    {
        Index = index;
        _epoll = Epoll.Create();
        var thread = new Thread(Run) { IsBackground = true, Name = "gantry-loop-" + index };
        thread.UnsafeStart();
    }

    public int Index { get; }

    /// <summary>How many loops there are.</summary>
    public static int Count => s_loops.Value.Length;

    /// <summary>The loop running the calling thread, or the next one in turn when the caller is not a loop.</summary>
    public static EventLoop Current => t_current ?? Next();

    /// <summary>The loop running the calling thread, or null.</summary>
    public static EventLoop? OnThisThread => t_current;

    /// <summary>The loops in turn, for new client connections.</summary>
    public static EventLoop Next()
    {
        var loops = s_loops.Value;
        return loops[(uint)Interlocked.Increment(ref s_next) % (uint)loops.Length];
    }

    private static EventLoop[] Start()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("GANTRY_ROUTER_EVENT_LOOPS"), out var n) && n > 0 ? n : Environment.ProcessorCount;
        var loops = new EventLoop[count];
        for (var i = 0; i < count; i++)
        {
            loops[i] = new EventLoop(i);
        }

        return loops;
    }

    internal ulong Register(LoopSocket socket, int fd)
    {
        var id = (ulong)Interlocked.Increment(ref s_nextId);
        _sockets[id] = socket;
        var error = Epoll.Add(_epoll, fd, id);
        if (error != 0)
        {
            _sockets.TryRemove(id, out _);
            throw new System.Net.Sockets.SocketException(error);
        }

        return id;
    }

    internal void Unregister(ulong id, int fd)
    {
        if (_sockets.TryRemove(id, out _) && fd >= 0)
        {
            Epoll.Remove(_epoll, fd);
        }
    }

    private void Run()
    {
        t_current = this;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * Epoll.EventSize));
        while (true)
        {
            var n = Epoll.Wait(_epoll, events, MaxEvents);
            for (var i = 0; i < n; i++)
            {
                if (_sockets.TryGetValue(Epoll.DataAt(events, i), out var socket))
                {
                    try
                    {
                        socket.OnEvents(Epoll.EventsAt(events, i));
                    }
                    catch (Exception ex)
                    {
                        // What a completion runs is an async method's continuation, which keeps its own exceptions; anything
                        // reaching here is a defect, and the loop must go on serving the other sockets.
                        global::System.Console.Error.WriteLine($"gantry router: event loop {Index}: {ex}");
                    }
                }
            }
        }
    }
}
