using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Gantry.Model.Api.Identity;

namespace Gantry.Cli.Commands;

/// <summary>What the user, team and token verbs share: request bodies, role names and parsing.</summary>
internal static class IdentityJson
{
    public static HttpContent Body<T>(T value, JsonTypeInfo<T> info) => JsonContent.Create(value, info);

    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static Role ParseRole(string text) => text.ToLowerInvariant() switch
    {
        "viewer" => Role.Viewer,
        "deployer" => Role.Deployer,
        "admin" => Role.Admin,
        _ => throw new CliException(ExitCodes.Usage, $"--role '{text}' is not a role: use viewer, deployer or admin"),
    };

    public static string Path(params string[] segments) => string.Join('/', segments.Select(Uri.EscapeDataString));
}
