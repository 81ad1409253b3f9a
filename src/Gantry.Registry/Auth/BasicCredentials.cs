using System.Text;

namespace Gantry.Registry.Auth;

/// <summary>Parses an HTTP Basic Authorization header value.</summary>
public static class BasicCredentials
{
    public static bool TryParse(string? header, out string user, out string secret)
    {
        user = secret = string.Empty;
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = decoded[..colon];
        secret = decoded[(colon + 1)..];
        return true;
    }
}
