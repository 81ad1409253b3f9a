using System.Buffers;
using System.Text;
using Gantry.Router.Transport;

namespace Gantry.Router.Front;

/// <summary>What <see cref="PlainRequest.Parse"/> made of the bytes at the start of a connection's input.</summary>
public enum PlainParse
{
    /// <summary>A whole head the front serves itself.</summary>
    Complete,

    /// <summary>No end of head yet (and not too long to be one): read more.</summary>
    Incomplete,

    /// <summary>Anything else: Kestrel's HTTP/1.1 parser takes the connection from this request on.</summary>
    Fallback,
}

/// <summary>
/// One request head the front serves itself: an HTTP/1.1 request without a body, in the plainest form (docs/decisions/0028).
/// </summary>
/// <remarks>
/// The grammar accepted is a strict subset of RFC 9112: a method the front knows (GET, HEAD, DELETE, OPTIONS), an
/// origin-form target of visible ASCII with no percent-encoding and no dot segment, `HTTP/1.1`, then fields whose names
/// are tokens and whose values are visible ASCII, space or tab (no obs-fold, no obs-text), exactly one Host with a usable
/// port, and no Content-Length, Transfer-Encoding, Upgrade or Expect (a Connection field's other tokens name fields that are then not forwarded). Whatever
/// is outside it is not refused here: <see cref="PlainParse.Fallback"/> hands the connection, this request's bytes
/// unread, to Kestrel, whose parser answers or refuses it as it always did. So the subset can only be narrower than
/// Kestrel's, never wider, and every odd request keeps the behaviour the router's tests pin down.
/// One instance per connection, reused request after request: the head is copied into a pooled buffer (a few hundred bytes),
/// fields are offsets into it, and the only strings made are the method (interned), host and path, and those only when they
/// differ from the previous request's on the connection.
/// </remarks>
public sealed class PlainRequest
{
    /// <summary>The longest head the front takes; a longer one goes to Kestrel (which allows 32 KiB and answers 431 beyond).</summary>
    public const int MaxHeadBytes = 8 * 1024;

    /// <summary>The most fields the front takes; more go to Kestrel.</summary>
    public const int MaxFields = 64;

    private readonly int[] _fields = new int[MaxFields * 4];
    private byte[]? _head;

    /// <summary>The head's bytes: rented while a request is parsed and served, given back by <see cref="Release"/>, so an idle
    /// kept-alive connection holds no buffer.</summary>
    public byte[] Head => _head ??= LoopBuffers.Rent(MaxHeadBytes);

    /// <summary>Gives the head's buffer back; the request's spans are not to be read after this.</summary>
    public void Release()
    {
        if (_head is { } head)
        {
            _head = null;
            LoopBuffers.Return(head);
        }
    }

    /// <summary>Bytes of the head, its final CRLF CRLF included.</summary>
    public int Length { get; private set; }

    public string Method { get; private set; } = "";

    public bool IsHead { get; private set; }

    public int TargetStart { get; private set; }

    public int TargetLength { get; private set; }

    /// <summary>The target's path (before any '?'), as Kestrel's Request.Path would give it for this subset.</summary>
    public string Path { get; private set; } = "";

    /// <summary>The Host field as sent ("name" or "name:port").</summary>
    public string Authority { get; private set; } = "";

    /// <summary>The host name without its port (Kestrel's HostString.Host).</summary>
    public string Host { get; private set; } = "";

    public int FieldCount { get; private set; }

    /// <summary>The client asked to close after this response.</summary>
    public bool Close { get; private set; }

    /// <summary>The Connection field's index when it names other fields (hop-by-hop too: not forwarded), else -1.</summary>
    public int ConnectionField { get; private set; }

    public int TraceParentField { get; private set; }

    public int RequestIdField { get; private set; }

    public ReadOnlySpan<byte> Target => Head.AsSpan(TargetStart, TargetLength);

    public ReadOnlySpan<byte> FieldName(int i) => Head.AsSpan(_fields[i * 4], _fields[(i * 4) + 1]);

    public ReadOnlySpan<byte> FieldValue(int i) => Head.AsSpan(_fields[(i * 4) + 2], _fields[(i * 4) + 3]);

    /// <summary>The field as a string (Latin-1, as Kestrel decodes), or null for -1.</summary>
    public string? FieldString(int i) => i < 0 ? null : Encoding.Latin1.GetString(FieldValue(i));

    /// <summary>Parses the head at the start of <paramref name="input"/>; on <see cref="PlainParse.Complete"/> the head is
    /// copied into <see cref="Head"/> and <see cref="Length"/> bytes of the input are the request's.</summary>
    public PlainParse Parse(in ReadOnlySequence<byte> input)
    {
        var available = (int)Math.Min(input.Length, MaxHeadBytes);
        ReadOnlySpan<byte> bytes;
        if (input.FirstSpan.Length >= available)
        {
            bytes = input.FirstSpan[..available];
        }
        else
        {
            input.Slice(0, available).CopyTo(Head);
            bytes = Head.AsSpan(0, available);
        }

        var end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            Release();
            return input.Length >= MaxHeadBytes ? PlainParse.Fallback : PlainParse.Incomplete;
        }

        Length = end + 4;
        if (_head is null || !Unsafe.AreSame(bytes, _head))
        {
            bytes[..Length].CopyTo(Head);
        }

        return ParseHead(Head.AsSpan(0, Length)) ? PlainParse.Complete : PlainParse.Fallback;
    }

    private bool ParseHead(ReadOnlySpan<byte> head)
    {
        FieldCount = 0;
        Close = false;
        TraceParentField = -1;
        RequestIdField = -1;
        ConnectionField = -1;
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!ParseRequestLine(head[..lineEnd]))
        {
            return false;
        }

        var hostField = -1;
        var at = lineEnd + 2;
        while (at < head.Length - 2)
        {
            var length = head[at..].IndexOf("\r\n"u8);
            if (FieldCount == MaxFields || !ParseField(head.Slice(at, length), at, out var kind))
            {
                return false;
            }

            switch (kind)
            {
                case FieldKind.Host when hostField >= 0:
                case FieldKind.NotServed:
                    return false;
                case FieldKind.Host:
                    hostField = FieldCount;
                    break;
                case FieldKind.TraceParent:
                    TraceParentField = FieldCount;
                    break;
                case FieldKind.RequestId:
                    RequestIdField = FieldCount;
                    break;
                case FieldKind.Connection when ReadConnection(FieldValue(FieldCount)):
                    if (ConnectionField >= 0)
                    {
                        return false;
                    }

                    ConnectionField = FieldCount;
                    break;
            }

            FieldCount++;
            at += length + 2;
        }

        return hostField >= 0 && ReadHost(FieldValue(hostField));
    }

    private bool ParseRequestLine(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        (Method, IsHead) = line[..space] switch
        {
            var m when m.SequenceEqual("GET"u8) => ("GET", false),
            var m when m.SequenceEqual("HEAD"u8) => ("HEAD", true),
            var m when m.SequenceEqual("DELETE"u8) => ("DELETE", false),
            var m when m.SequenceEqual("OPTIONS"u8) => ("OPTIONS", false),
            _ => ("", false),
        };
        var rest = line[(space + 1)..];
        var targetEnd = rest.IndexOf((byte)' ');
        if (Method.Length == 0 || targetEnd <= 0 || !rest[(targetEnd + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            return false;
        }

        var target = rest[..targetEnd];
        // Origin form of visible ASCII, nothing Kestrel would decode or normalise: no '%', no "/." (dot segments), no '#'.
        if (target[0] != '/' || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7e) >= 0 || target.IndexOfAny((byte)'%', (byte)'#') >= 0
            || target.IndexOf("/."u8) >= 0)
        {
            return false;
        }

        TargetStart = space + 1;
        TargetLength = targetEnd;
        var query = target.IndexOf((byte)'?');
        Path = Reuse(Path, query < 0 ? target : target[..query]);
        return true;
    }

    private enum FieldKind
    {
        Other,
        Host,
        Connection,
        TraceParent,
        RequestId,
        NotServed,
    }

    private bool ParseField(ReadOnlySpan<byte> line, int offset, out FieldKind kind)
    {
        kind = FieldKind.Other;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            return false;
        }

        var value = line[(colon + 1)..];
        var start = colon + 1 + (value.Length - value.TrimStart(" \t"u8).Length);
        value = value.Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is < 0x20 and not 0x09 or >= 0x7f)
            {
                return false;
            }
        }

        var name = line[..colon];
        var slot = FieldCount * 4;
        _fields[slot] = offset;
        _fields[slot + 1] = colon;
        _fields[slot + 2] = offset + start;
        _fields[slot + 3] = value.Length;
        kind = Classify(name);
        return true;
    }

    private static FieldKind Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "Host"u8) => FieldKind.Host,
        10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => FieldKind.Connection,
        11 when Ascii.EqualsIgnoreCase(name, "traceparent"u8) => FieldKind.TraceParent,
        12 when Ascii.EqualsIgnoreCase(name, "X-Request-Id"u8) => FieldKind.RequestId,
        // A body, an upgrade or an expectation: Kestrel's path knows them all.
        14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => FieldKind.NotServed,
        17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => FieldKind.NotServed,
        7 when Ascii.EqualsIgnoreCase(name, "Upgrade"u8) => FieldKind.NotServed,
        6 when Ascii.EqualsIgnoreCase(name, "Expect"u8) => FieldKind.NotServed,
        _ => FieldKind.Other,
    };

    /// <summary>Reads close / keep-alive; true when the field also names other fields.</summary>
    private bool ReadConnection(ReadOnlySpan<byte> value)
    {
        var namesFields = false;
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                Close = true;
            }
            else if (token.Length > 0 && !Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                namesFields = true;
            }
        }

        return namesFields;
    }

    /// <summary>Whether the client's Connection field names <paramref name="name"/> (RFC 9110 §7.6.1: it stops at the router).</summary>
    public bool IsNamedByConnection(ReadOnlySpan<byte> name)
    {
        if (ConnectionField < 0)
        {
            return false;
        }

        var value = FieldValue(ConnectionField);
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), name))
            {
                return true;
            }
        }

        return false;
    }

    private bool ReadHost(ReadOnlySpan<byte> value)
    {
        // Names and IPv4 addresses with an optional port; IPv6 literals and anything unusual go to Kestrel.
        if (value.IsEmpty || value.IndexOfAnyExcept(HostBytes) >= 0)
        {
            return false;
        }

        if (!Ascii.Equals(value, Authority))
        {
            // A kept connection sends the same Host on every request: the strings of the first one serve them all.
            Authority = Encoding.ASCII.GetString(value);
            var colon = Authority.IndexOf(':');
            Host = colon < 0 ? Authority : Authority[..colon];
        }

        return Routing.Authority.HasValidPort(Authority) && Host.Length > 0;
    }

    /// <summary>The previous request's string when it has these (ASCII) bytes, else a new one: most requests on a connection
    /// repeat their predecessor's path.</summary>
    private static string Reuse(string previous, ReadOnlySpan<byte> bytes) =>
        Ascii.Equals(bytes, previous) ? previous : Encoding.ASCII.GetString(bytes);

    private static readonly SearchValues<byte> HostBytes = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:"u8);

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    private static bool IsToken(ReadOnlySpan<byte> name) => name.IndexOfAnyExcept(TokenBytes) < 0;

    private static class Unsafe
    {
        public static bool AreSame(ReadOnlySpan<byte> span, byte[] array) =>
            !span.IsEmpty && System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), ref array[0]);
    }
}
