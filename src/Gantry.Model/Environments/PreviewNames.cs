using System.Security.Cryptography;
using System.Text;
using Gantry.Model.Routing;

namespace Gantry.Model.Environments;

/// <summary>
/// How a branch's preview is named (docs/decisions/0024, preview environments): an environment name (letters and digits, at
/// most 20: a readable part of the branch and a hash, so `feature/login` and `feature-login` never share one) and a host
/// name `BRANCH.APP.DOMAIN` whose first label is the branch as a DNS label. Pure.
/// </summary>
public static class PreviewNames
{
    /// <summary>Environment names of previews start with this, which `gantry env` shows and nothing else uses.</summary>
    public const string Prefix = "pv";

    private const int ReadableLength = 12;

    private const int LabelLength = 40;

    public static string Environment(string branch)
    {
        ArgumentException.ThrowIfNullOrEmpty(branch);
        var readable = new string([.. branch.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(ReadableLength)]);
        return Prefix + readable + Hash(branch);
    }

    /// <summary>The branch as one DNS label: lower case, anything but letters and digits a '-', at most 40 characters.</summary>
    public static string HostLabel(string branch)
    {
        ArgumentException.ThrowIfNullOrEmpty(branch);
        var builder = new StringBuilder(branch.Length);
        foreach (var c in branch.ToLowerInvariant())
        {
            var next = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (next != '-' || builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append(next);
            }
        }
        var label = builder.ToString(0, Math.Min(builder.Length, LabelLength)).Trim('-');
        return label.Length > 0 ? label : "branch-" + Hash(branch);
    }

    /// <summary>`BRANCH.APP.DOMAIN`, the app's '_' as '-' (not allowed in host names).</summary>
    public static string Host(string branch, string app, string domain) =>
        $"{HostLabel(branch)}.{app.Replace('_', '-')}.{domain.Trim('.').ToLowerInvariant()}";

    /// <summary>
    /// The routes a preview's services answer on: the first host the compose file names becomes <paramref name="host"/>, every
    /// other host `FIRSTLABEL-` + it (so two hosts stay two); paths, ports and entry points are kept.
    /// </summary>
    public static AppSpec RewriteHosts(AppSpec spec, string host)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        string Map(string original)
        {
            if (!hosts.TryGetValue(original, out var mapped))
            {
                mapped = hosts.Count == 0 ? host : $"{original.Split('.')[0]}-{host}";
                hosts[original] = mapped;
            }
            return mapped;
        }
        return spec with
        {
            Services = [.. spec.Services.Select(service => service.Routing is not { } routing ? service : service with
            {
                Routing = routing with { Routes = [.. routing.Routes.Select(route => route with { Hosts = [.. route.Hosts.Select(Map)] })] },
            })],
        };
    }

    private static string Hash(string branch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(branch)))[..6];
}
