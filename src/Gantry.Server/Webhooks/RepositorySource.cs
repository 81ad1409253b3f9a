using System.Text.Json.Serialization;

namespace Gantry.Server.Webhooks;

/// <summary>
/// The external repository an app follows (store kind `RepositorySource`, named by the app): where Gantry fetches from, the
/// branch that deploys, the webhook secret (sealed with the server's <see cref="Environments.SecretBox"/>, never shown), the
/// team a new app goes to and the environment it deploys to.
/// </summary>
public sealed record RepositorySource
{
    public const string Kind = "RepositorySource";

    public required string App { get; init; }

    /// <summary>The clone URL without credentials: what is shown and logged.</summary>
    public required string Url { get; init; }

    /// <summary>The URL's `user:password` (an access token for a private repository), sealed like the secret; git receives it
    /// in an Authorization header through its environment, so it reaches neither a command line, a log, nor an answer.</summary>
    public string? SealedCredentials { get; init; }

    public string Branch { get; init; } = "main";

    public required string SealedSecret { get; init; }

    public string Team { get; init; } = Model.AppSpec.DefaultTeam;

    public string? Environment { get; init; }

    public string SetBy { get; init; } = "";

    public static string PlaceOf(string app) => $"{app}/webhook";

    public static string CredentialsPlaceOf(string app) => $"{app}/webhook/credentials";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RepositorySource))]
[JsonSerializable(typeof(DeliveryRecord))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
