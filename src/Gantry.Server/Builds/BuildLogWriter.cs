using System.Text;

namespace Gantry.Server.Builds;

/// <summary>
/// The log of one running build, `<data>/builds/APP/N.log`: lines appended and flushed as the engine reports them (so a
/// follower and a restarted server read what was said), under the size cap (<see cref="BuildLogBound"/>). Followers wait on
/// <see cref="WaitAsync"/> instead of polling.
/// </summary>
public sealed class BuildLogWriter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly long _cap;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _cut;
    private bool _completed;
    private long _droppedBytes;
    private long _droppedLines;
    private long _length;

    public BuildLogWriter(string path, long cap)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _cap = cap;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length
    {
        get
        {
            lock (_lock)
            {
                return _length;
            }
        }
    }

    public bool Completed
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>Appends one line (a newline is added); past the cap, counts it instead.</summary>
    public void Write(string line)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            switch (BuildLogBound.Admit(_length, _cut, bytes.Length, _cap))
            {
                case BuildLogAdmission.Keep:
                    Append(bytes);
                    break;
                case BuildLogAdmission.Cut:
                    _cut = true;
                    _droppedBytes += bytes.Length;
                    _droppedLines++;
                    Append(Encoding.UTF8.GetBytes(BuildLogBound.CutNote(_cap) + "\n"));
                    break;
                default:
                    _droppedBytes += bytes.Length;
                    _droppedLines++;
                    break;
            }
        }
    }

    /// <summary>Writes the count of what the cap dropped and the last line (the outcome) past the cap, then ends the log.</summary>
    public void Complete(string outcome)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            if (_droppedLines > 0)
            {
                Append(Encoding.UTF8.GetBytes(BuildLogBound.DroppedNote(_droppedBytes, _droppedLines) + "\n"));
            }
            Append(Encoding.UTF8.GetBytes(outcome + "\n"));
            _completed = true;
            _file.Dispose();
            Signal();
        }
    }

    /// <summary>Returns once the log is longer than <paramref name="length"/> or complete.</summary>
    public Task WaitAsync(long length, CancellationToken ct)
    {
        lock (_lock)
        {
            return _completed || _length > length ? Task.CompletedTask : _changed.Task.WaitAsync(ct);
        }
    }

    public void Dispose() => Complete("gantry: the build ended without an outcome");

    private void Append(byte[] bytes)
    {
        _file.Write(bytes);
        _file.Flush();
        _length += bytes.Length;
        Signal();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
