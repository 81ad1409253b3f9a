using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Gantry.Router.Forwarder;

namespace Gantry.Router.Upstream;

public enum HeadParseResult
{
    /// <summary>No empty line yet: read more bytes.</summary>
    Incomplete,
    Complete,
    Malformed,
}

/// <summary>Parses an HTTP/1.x response head (status line and fields up to the empty line) from bytes, strictly (RFC 9112).</summary>
/// <remarks>Pure and allocation-free except for field strings the head's cache does not already hold. Lines end with CRLF or a
/// bare LF (RFC 9112 §2.2 lets a recipient accept LF). Refused as malformed, because a proxy must not pass them on: obsolete line
/// folding, a field name that is not a token or has whitespace before its colon, control characters in a value, a status that
/// is not three digits, and Content-Length values that are not digits or disagree.</remarks>
public static class Http1ResponseParser
{
    public static HeadParseResult TryParse(ReadOnlySpan<byte> buffer, ResponseHead head, out int consumed, out string? error)
    {
        consumed = 0;
        error = null;
        head.Reset();
        var position = 0;
        var lineIndex = 0;
        while (true)
        {
            var newline = buffer[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return HeadParseResult.Incomplete;
            }

            var line = buffer.Slice(position, newline);
            position += newline + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (lineIndex == 0)
            {
                if (!ParseStatusLine(line, head, out error))
                {
                    return HeadParseResult.Malformed;
                }
            }
            else if (line.IsEmpty)
            {
                consumed = position;
                return HeadParseResult.Complete;
            }
            else if (!ParseField(line, head, out error))
            {
                return HeadParseResult.Malformed;
            }

            lineIndex++;
        }
    }

    private static bool ParseStatusLine(ReadOnlySpan<byte> line, ResponseHead head, out string? error)
    {
        // HTTP/1.1 200 OK   (the reason phrase may be empty or missing)
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !IsDigit(line[7]) || line[8] != (byte)' '
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || (line.Length > 12 && line[12] != (byte)' '))
        {
            error = "malformed status line: " + Printable(line);
            return false;
        }

        head.MinorVersion = line[7] - '0';
        head.Status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (head.Status < 100)
        {
            error = "malformed status line: " + Printable(line);
            return false;
        }

        if (line[12..].IndexOfAny(ControlBytes) >= 0 || line[12..].Contains((byte)'\t'))
        {
            error = "control character in the status line";
            return false;
        }

        error = null;
        return true;
    }

    private static bool ParseField(ReadOnlySpan<byte> line, ResponseHead head, out string? error)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            error = "obsolete line folding in the response head";
            return false;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            error = "malformed header line: " + Printable(line);
            return false;
        }

        // A name or value equal to the previous response's at this position was checked then: only new bytes are checked.
        var name = line[..colon];
        var index = head.Count;
        var nameString = head.CachedName(index, name);
        ResponseFieldKind kind;
        if (nameString is not null)
        {
            kind = head.Kinds[index];
        }
        else if (name.IndexOfAnyExcept(TokenBytes) >= 0)
        {
            error = "malformed header name: " + Printable(name);
            return false;
        }
        else
        {
            nameString = Encoding.ASCII.GetString(name);
            kind = KindOf(nameString);
        }

        var value = line[(colon + 1)..].Trim(" \t"u8);
        var valueString = head.CachedValue(index, value);
        if (valueString is null)
        {
            if (value.IndexOfAny(ControlBytes) >= 0)
            {
                error = "control character in header " + nameString;
                return false;
            }

            valueString = Encoding.Latin1.GetString(value);
        }

        head.Add(nameString, valueString, kind);
        error = null;
        return kind == ResponseFieldKind.Other || Frame(kind, value, head, out error);
    }

    private static ResponseFieldKind KindOf(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ? ResponseFieldKind.ContentLength
        : name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ? ResponseFieldKind.TransferEncoding
        : name.Equals("Connection", StringComparison.OrdinalIgnoreCase) ? ResponseFieldKind.Connection
        : HeaderRules.IsHopByHop(name) ? ResponseFieldKind.HopByHop
        : ResponseFieldKind.Other;

    /// <summary>Notes what the framing fields say: Content-Length, Transfer-Encoding, Connection.</summary>
    private static bool Frame(ResponseFieldKind kind, ReadOnlySpan<byte> value, ResponseHead head, out string? error)
    {
        error = null;
        if (kind == ResponseFieldKind.ContentLength)
        {
            // A list of identical values ("5, 5") is allowed (RFC 9110 §8.6); anything else is not.
            foreach (var range in value.Split((byte)','))
            {
                var item = value[range].Trim(" \t"u8);
                if (item.IsEmpty || item.Length > 18 || !AllDigits(item) || !Utf8Parser.TryParse(item, out long length, out _))
                {
                    error = "malformed Content-Length: " + Printable(value);
                    return false;
                }

                if (head.ContentLength >= 0 && head.ContentLength != length)
                {
                    error = "conflicting Content-Length values";
                    return false;
                }

                head.ContentLength = length;
            }
        }
        else if (kind == ResponseFieldKind.TransferEncoding)
        {
            var last = value;
            var comma = value.LastIndexOf((byte)',');
            if (comma >= 0)
            {
                last = value[(comma + 1)..].Trim(" \t"u8);
            }

            if (Ascii.EqualsIgnoreCase(last, "chunked"u8) && !head.Chunked && !head.OtherTransferEncoding)
            {
                head.Chunked = true;
            }
            else
            {
                head.Chunked = false;
                head.OtherTransferEncoding = true;
            }
        }
        else if (kind == ResponseFieldKind.Connection)
        {
            var namesOthers = false;
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim(" \t"u8);
                if (Ascii.EqualsIgnoreCase(token, "close"u8))
                {
                    head.ConnectionClose = true;
                }
                else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                {
                    head.ConnectionKeepAlive = true;
                }
                else if (!token.IsEmpty)
                {
                    namesOthers = true;
                }
            }

            if (namesOthers)
            {
                var text = Encoding.Latin1.GetString(value);
                head.ConnectionTokens = head.ConnectionTokens is null ? text : head.ConnectionTokens + "," + text;
            }
        }

        return true;
    }

    /// <summary>Whether a response to this request carries a body at all (RFC 9112 §6.3 rule 1).</summary>
    public static bool HasBody(int status, bool requestWasHead) =>
        !requestWasHead && status >= 200 && status != 204 && status != 304;

    private static bool AllDigits(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    // RFC 9110 §5.6.2 tchar.
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    // Control characters a field value must not hold: all but the horizontal tab (RFC 9110 §5.5).
    private static readonly SearchValues<byte> ControlBytes =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), 0x7F]);

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var shown = bytes.Length > 80 ? bytes[..80] : bytes;
        var chars = new char[shown.Length];
        for (var i = 0; i < shown.Length; i++)
        {
            chars[i] = shown[i] is >= 0x20 and < 0x7F ? (char)shown[i] : '?';
        }

        return "'" + new string(chars) + (bytes.Length > 80 ? "...'" : "'");
    }
}
