using Gantry.Cli.Api;

namespace Gantry.Cli.Config;

/// <summary>
/// Decides which server and token a verb uses. Precedence, highest first: the `--server` option,
/// the GANTRY_SERVER / GANTRY_TOKEN environment variables, the saved config file, the default server.
/// </summary>
public static class ConnectionResolver
{
    public const string DefaultServer = "http://127.0.0.1:7070";

    public static ApiConnection Resolve(string? serverOption, Func<string, string?> getEnvironmentVariable, CliConfig? saved)
    {
        var server = FirstNonEmpty(serverOption, getEnvironmentVariable("GANTRY_SERVER"), saved?.Server) ?? DefaultServer;
        var token = FirstNonEmpty(getEnvironmentVariable("GANTRY_TOKEN"), saved?.Token);
        return new ApiConnection(ParseServer(server), token);
    }

    /// <summary>Accepts "host:port" and "http(s)://host:port[/]"; anything else is a usage error naming the value.</summary>
    public static Uri ParseServer(string server)
    {
        var text = server.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"server address '{server}' is not an http(s) URL; use e.g. --server {DefaultServer}");
        }
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static string? FirstNonEmpty(params string?[] values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }
        return null;
    }
}
