namespace Gantry.Router.Upstream;

/// <summary>What a response field's name means to the router, worked out once per name string (the cache keeps both).</summary>
[Flags]
public enum ResponseFieldKind : byte
{
    Other = 0,

    /// <summary>A hop-by-hop field (RFC 9110 §7.6.1): it stops at the router.</summary>
    HopByHop = 1,
    ContentLength = 2,
    TransferEncoding = 4 | HopByHop,
    Connection = 8 | HopByHop,
}

/// <summary>One parsed HTTP/1.x response head: status, header fields in order, and what they say about framing and keep-alive.</summary>
/// <remarks>One instance lives with each upstream connection and is refilled for every response. Its name and value arrays double
/// as a cache: a backend sends the same fields in the same order on every response, so a field whose bytes equal the previous
/// response's string at that position reuses the string instead of allocating a new one.</remarks>
public sealed class ResponseHead
{
    private const int InitialFields = 16;

    public int Status;

    /// <summary>The x of HTTP/1.x.</summary>
    public int MinorVersion;

    public int Count;

    public string[] Names = new string[InitialFields];

    public string[] Values = new string[InitialFields];

    /// <summary>What each name means (<see cref="ResponseFieldKind"/>), cached along with it.</summary>
    public ResponseFieldKind[] Kinds = new ResponseFieldKind[InitialFields];

    /// <summary>The Content-Length value, or -1 when absent (or overridden by Transfer-Encoding).</summary>
    public long ContentLength;

    /// <summary>Transfer-Encoding ends with chunked.</summary>
    public bool Chunked;

    /// <summary>Transfer-Encoding without chunked last: the body runs until the connection closes (RFC 9112 §6.3).</summary>
    public bool OtherTransferEncoding;

    public bool ConnectionClose;

    public bool ConnectionKeepAlive;

    /// <summary>The Connection field's values joined, when it names anything besides close/keep-alive (those fields are hop-by-hop too).</summary>
    public string? ConnectionTokens;

    internal void Reset()
    {
        Status = 0;
        MinorVersion = 0;
        Count = 0;
        ContentLength = -1;
        Chunked = false;
        OtherTransferEncoding = false;
        ConnectionClose = false;
        ConnectionKeepAlive = false;
        ConnectionTokens = null;
    }

    /// <summary>Whether the connection may carry another request after this response's body (RFC 9112 §9.3).</summary>
    public bool KeepAlive => !ConnectionClose && (MinorVersion >= 1 || ConnectionKeepAlive);

    internal void Add(string name, string value, ResponseFieldKind kind)
    {
        if (Count == Names.Length)
        {
            Array.Resize(ref Names, Count * 2);
            Array.Resize(ref Values, Count * 2);
            Array.Resize(ref Kinds, Count * 2);
        }

        Names[Count] = name;
        Values[Count] = value;
        Kinds[Count] = kind;
        Count++;
    }

    /// <summary>The previous response's name at <paramref name="index"/> when it has these bytes (the field cache), else null.</summary>
    internal string? CachedName(int index, ReadOnlySpan<byte> bytes) =>
        index < Names.Length && Names[index] is { } cached && System.Text.Ascii.Equals(bytes, cached) ? cached : null;

    internal string? CachedValue(int index, ReadOnlySpan<byte> bytes) =>
        index < Values.Length && Values[index] is { } cached && System.Text.Ascii.Equals(bytes, cached) ? cached : null;
}
