using System.Threading.Tasks.Sources;

namespace Gantry.Router.Transport;

/// <summary>The state of each direction of a <see cref="LoopSocket"/> and the one reusable operation that waits on it.</summary>
public sealed partial class LoopSocket
{
    private sealed class Direction
    {
        public bool Ready = true;
        public bool End;
        public bool Pending;
        public int Seq;
        public Operation Op = null!;
    }

    private sealed class Operation(LoopSocket owner, Direction direction) : IValueTaskSource<int>, IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public Memory<byte> Buffer;
        public int Done;
        public CancellationToken Token;
        public CancellationTokenRegistration Registration;

        public short Version => _core.Version;

        public void Start(Memory<byte> buffer, CancellationToken ct)
        {
            _core.Reset();
            Buffer = buffer;
            Done = 0;
            Token = ct;
            Registration = default;
        }

        public void Cancel(CancellationToken token)
        {
            lock (owner._gate)
            {
                if (!direction.Pending || direction.Op != this || Token != token)
                {
                    return;
                }

                direction.Pending = false;
            }

            Fail(new OperationCanceledException(token), inline: false);
        }

        public void Succeed(int result)
        {
            Registration.Unregister();
            Buffer = default;
            _core.RunContinuationsAsynchronously = false;
            _core.SetResult(result);
        }

        public void Fail(Exception error, bool inline)
        {
            Registration.Unregister();
            Buffer = default;
            _core.RunContinuationsAsynchronously = !inline;
            _core.SetException(error);
        }

        public int GetResult(short token) => _core.GetResult(token);

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
