using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gantry.Router.Forwarder;

/// <summary>The request-target the router sends upstream: the client's own, byte for byte, as nginx's proxy_pass without a URI does.</summary>
/// <remarks>Kestrel has already checked the target's characters. Rebuilding it from the decoded path would change what the backend
/// sees (%2F, %25, dot segments), and costs a string per request. The absolute form (a client talking to us as a forward proxy)
/// and anything unexpected fall back to the escaped path and query.</remarks>
public static class RequestTarget
{
    public static string Of(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/' && IsPlain(raw))
        {
            return raw;
        }

        var request = context.Request;
        return string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
    }

    private static bool IsPlain(string target)
    {
        foreach (var c in target)
        {
            if (c is <= ' ' or >= '\u007f')
            {
                return false;
            }
        }

        return true;
    }
}
