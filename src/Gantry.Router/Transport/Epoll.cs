using System.Runtime.InteropServices;

namespace Gantry.Router.Transport;

/// <summary>The few Linux calls the event loops make themselves (epoll(7)); the sockets' own reads and writes go through
/// <see cref="System.Net.Sockets.Socket"/>'s non-blocking calls.</summary>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Err = 0x008;
    public const uint Hup = 0x010;
    public const uint RdHup = 0x2000;
    public const uint EdgeTriggered = 1u << 31;

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;

    /// <summary>Bytes per struct epoll_event: packed on x86-64 (12), naturally aligned elsewhere (16).</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 12 : 16;

    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    public static bool IsSupported => OperatingSystem.IsLinux();

    public static int Create()
    {
        var fd = epoll_create1(CloseOnExec);
        if (fd < 0)
        {
            throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
        }

        return fd;
    }

    /// <summary>Watches <paramref name="fd"/> edge-triggered for reads, writes and the peer's close; <paramref name="data"/> comes
    /// back with each event.</summary>
    public static int Add(int epoll, int fd, ulong data)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = In | Out | RdHup | EdgeTriggered;
        *(ulong*)(ev + DataOffset) = data;
        return epoll_ctl(epoll, CtlAdd, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    public static void Remove(int epoll, int fd)
    {
        var ev = stackalloc byte[16];
        _ = epoll_ctl(epoll, CtlDel, fd, ev);
    }

    /// <summary>Waits for events (no timeout); 0 when interrupted by a signal.</summary>
    public static int Wait(int epoll, byte* events, int max)
    {
        var n = epoll_wait(epoll, events, max, -1);
        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Interrupted ? 0 : throw new System.Net.Sockets.SocketException(errno);
        }

        return n;
    }

    public static uint EventsAt(byte* events, int index) => *(uint*)(events + (index * EventSize));

    public static ulong DataAt(byte* events, int index) => *(ulong*)(events + (index * EventSize) + DataOffset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);
}
