using System.Buffers;

namespace Gantry.Router.Transport;

/// <summary>
/// Byte buffers for the per-request work on the event loops (docs/decisions/0037). Each loop thread keeps a stack of them per
/// size, from 1 KiB to 16 KiB. Every other thread, and every other size, uses <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// A plain request borrows five buffers: the request head, the upstream head, the response head, the output, and the
/// upstream connection's input. <see cref="ArrayPool{T}.Shared"/> keeps one buffer per size for each thread, and the rest in
/// per-core stacks behind a lock. A loop has some 32 requests in flight at once, so most of its rents took that lock, and
/// some found the stacks empty and allocated. Here a rent and a return on a loop are a push and a pop on the loop's own stack.
/// <para>A loop keeps at most <see cref="Depth"/> buffers per size (at most 2 MiB in all). What it cannot keep goes to the
/// shared pool.</para>
/// </remarks>
public static class LoopBuffers
{
    /// <summary>Buffers kept per loop thread and per size.</summary>
    public const int Depth = 64;

    private const int SmallestShift = 10;
    private const int Sizes = 5;

    [ThreadStatic]
    private static Stacks? t_stacks;

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes (a power of two, as the shared pool's are).</summary>
    public static byte[] Rent(int minimumLength)
    {
        var size = SizeFor(minimumLength);
        if (size >= 0 && t_stacks is { } stacks && stacks.TryPop(size, out var buffer))
        {
            return buffer;
        }

        return ArrayPool<byte>.Shared.Rent(size >= 0 ? 1 << (size + SmallestShift) : minimumLength);
    }

    public static void Return(byte[] buffer)
    {
        var size = SizeOf(buffer.Length);
        if (size >= 0 && (t_stacks ?? NewStacksOnLoop()) is { } stacks && stacks.TryPush(size, buffer))
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>The loop threads get stacks; any other thread returns to the shared pool.</summary>
    private static Stacks? NewStacksOnLoop() => EventLoop.OnThisThread is null ? null : t_stacks = new Stacks();

    private static int SizeFor(int length)
    {
        if (length <= 0 || length > 1 << (SmallestShift + Sizes - 1))
        {
            return -1;
        }

        var shift = 32 - int.LeadingZeroCount(Math.Max(length, 1 << SmallestShift) - 1);
        return shift - SmallestShift;
    }

    private static int SizeOf(int length)
    {
        var size = SizeFor(length);
        return size >= 0 && length == 1 << (size + SmallestShift) ? size : -1;
    }

    private sealed class Stacks
    {
        private readonly byte[]?[][] _buffers = Enumerable.Range(0, Sizes).Select(_ => new byte[]?[Depth]).ToArray();
        private readonly int[] _counts = new int[Sizes];

        public bool TryPop(int size, out byte[] buffer)
        {
            var count = _counts[size];
            if (count == 0)
            {
                buffer = null!;
                return false;
            }

            var stack = _buffers[size];
            _counts[size] = --count;
            buffer = stack[count]!;
            stack[count] = null;
            return true;
        }

        public bool TryPush(int size, byte[] buffer)
        {
            var count = _counts[size];
            if (count == Depth)
            {
                return false;
            }

            _buffers[size][count] = buffer;
            _counts[size] = count + 1;
            return true;
        }
    }
}
