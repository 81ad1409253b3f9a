namespace Gantry.Registry.Api;

/// <summary>Parses the upload Content-Range header ("start-end", optionally prefixed by "bytes ").</summary>
public static class ContentRange
{
    public static bool TryParse(string value, out long start, out long end)
    {
        start = end = -1;
        ReadOnlySpan<char> span = value.AsSpan().Trim();
        if (span.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            span = span[5..].TrimStart(' ').TrimStart('=');
        }

        int slash = span.IndexOf('/');
        if (slash >= 0)
        {
            span = span[..slash];
        }

        int dash = span.IndexOf('-');
        return dash > 0
            && long.TryParse(span[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out start)
            && long.TryParse(span[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out end)
            && end >= start;
    }
}
