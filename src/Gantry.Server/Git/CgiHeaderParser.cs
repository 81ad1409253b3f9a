using System.Globalization;
using System.Text;

namespace Gantry.Server.Git;

/// <summary>
/// Reads the header block a CGI program (git http-backend) writes before its body (RFC 3875 section 6): `Name: value`
/// lines ended by LF or CRLF, then an empty line. `Status: 404 Not Found` sets the status; `Location` without a status is
/// a 302. Pure: the caller feeds bytes as they arrive and copies whatever follows the head as the body, unbuffered.
/// </summary>
public static class CgiHeaderParser
{
    /// <summary>The largest head accepted; git's are a few hundred bytes.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    /// <summary>Where the body starts in <paramref name="buffer"/> (just after the empty line), or -1 when the head is not complete yet.</summary>
    public static int FindBodyStart(ReadOnlySpan<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] != (byte)'\n')
            {
                continue;
            }
            // An empty line: "\n\n" or "\n\r\n" (or the very first line empty).
            if (i + 1 < buffer.Length && buffer[i + 1] == (byte)'\n')
            {
                return i + 2;
            }
            if (i + 2 < buffer.Length && buffer[i + 1] == (byte)'\r' && buffer[i + 2] == (byte)'\n')
            {
                return i + 3;
            }
        }
        return -1;
    }

    /// <summary>Parses a complete head (the bytes before the body); null with <paramref name="error"/> when it is not valid CGI.</summary>
    public static CgiResponseHead? Parse(ReadOnlySpan<byte> head, out string error)
    {
        error = "";
        var status = 0;
        var headers = new List<KeyValuePair<string, string>>();
        var text = Encoding.Latin1.GetString(head);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c <= ' ' || c >= 127))
            {
                error = $"the CGI program wrote a header line that is not 'Name: value' ('{Shorten(line)}')";
                return null;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                var digits = value.Split(' ', 2)[0];
                if (digits.Length != 3 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status < 100)
                {
                    error = $"the CGI program wrote an invalid status ('{Shorten(value)}')";
                    return null;
                }
                continue;
            }
            headers.Add(new(name, value));
        }
        if (status == 0)
        {
            status = headers.Any(h => h.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)) ? 302 : 200;
        }
        return new CgiResponseHead(status, headers);
    }

    private static string Shorten(string value) =>
        new([.. value.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
}
