using System.Text;
using Gantry.Router.Transport;

namespace Gantry.Router.Upstream;

/// <summary>Builds an HTTP/1.1 request head in one pooled byte array, so it leaves in one send.</summary>
/// <remarks>Field values are written as Latin-1 bytes: Kestrel decodes request fields that way (or refuses non-ASCII), so bytes a
/// client sent go upstream unchanged. Callers own validity: Kestrel has already refused CR, LF and NUL in what comes from a client.</remarks>
public struct RequestHeadBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public RequestHeadBuffer(int capacity)
    {
        _buffer = LoopBuffers.Rent(capacity);
        _length = 0;
    }

    public readonly ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Write(string text)
    {
        Ensure(text.Length);
        _length += Encoding.Latin1.GetBytes(text, _buffer.AsSpan(_length));
    }

    /// <summary>Writes a value that implements UTF-8 formatting (an address, a number) without a string in between.</summary>
    public void WriteFormatted<T>(T value)
        where T : IUtf8SpanFormattable
    {
        while (true)
        {
            if (value.TryFormat(_buffer.AsSpan(_length), out var written, default, System.Globalization.CultureInfo.InvariantCulture))
            {
                _length += written;
                return;
            }

            Ensure(_buffer.Length);
        }
    }

    public void WriteField(string name, string value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }

        var larger = LoopBuffers.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        LoopBuffers.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer is { Length: > 0 } buffer)
        {
            _buffer = [];
            LoopBuffers.Return(buffer);
        }
    }
}
