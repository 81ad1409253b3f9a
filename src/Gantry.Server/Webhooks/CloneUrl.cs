using System.Text;

namespace Gantry.Server.Webhooks;

/// <summary>A followed repository's clone URL, split into what may be shown (the URL without credentials) and what must be
/// sealed (an https URL's `user:password`, typically a forge's access token), and the credentials handed back to git.</summary>
public static class CloneUrl
{
    /// <summary>Splits <paramref name="url"/>; false with the reason when it carries credentials git could not be given safely.</summary>
    public static bool TrySplit(string url, out string shown, out string? credentials, out string problem)
    {
        shown = url;
        credentials = null;
        problem = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || uri.UserInfo.Length == 0)
        {
            // A path on the server, scp-like user@host:path, or a URL without user information: nothing to seal.
            return true;
        }

        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        if (uri.Scheme is not ("http" or "https"))
        {
            if (userInfo.Contains(':', StringComparison.Ordinal))
            {
                problem = $"url: a {uri.Scheme} URL cannot carry a password: give the server's ssh key access (a deploy key) and use {uri.Scheme}://{uri.UserInfo.Split(':')[0]}@{uri.Authority}{uri.PathAndQuery}";
                return false;
            }

            return true; // ssh://git@host/...: a user name, no secret.
        }

        if (userInfo.Any(char.IsControl))
        {
            problem = "url: the user information holds control characters";
            return false;
        }

        shown = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        credentials = userInfo.Contains(':', StringComparison.Ordinal) ? userInfo : userInfo + ":";
        return true;
    }

    /// <summary>Gives git the credentials as an Authorization header through its environment (GIT_CONFIG_COUNT), so they appear
    /// in no command line (visible to every local user) and in none of git's messages.</summary>
    public static void AddCredentials(IDictionary<string, string> environment, string credentials)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment["GIT_CONFIG_COUNT"] = "1";
        environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
        environment["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
    }
}
