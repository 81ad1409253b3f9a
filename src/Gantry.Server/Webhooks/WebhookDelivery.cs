using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gantry.Server.Webhooks;

/// <summary>
/// Pure: one webhook delivery read from its headers and body: which forge sent it (GitHub's `X-GitHub-Event`, GitLab's
/// `X-Gitlab-Event`, Gitea's `X-Gitea-Event`; Gitea also sends GitHub's headers, so it is looked for first), its delivery id,
/// its event, and whether it proves the shared secret (`X-Hub-Signature-256: sha256=HMAC`, `X-Gitea-Signature: HMAC`, both
/// HMAC-SHA256 of the body in hex; GitLab's `X-Gitlab-Token` is the secret itself). Comparisons take constant time.
/// </summary>
public sealed record WebhookDelivery(WebhookProvider Provider, string? DeliveryId, string Event)
{
    /// <summary>The sender, from its headers; null (with what was expected) when no known forge's event header is there.</summary>
    public static WebhookDelivery? Read(Func<string, string?> header, out string error)
    {
        error = "";
        if (header("X-Gitea-Event") is { Length: > 0 } gitea)
        {
            return new WebhookDelivery(WebhookProvider.Gitea, header("X-Gitea-Delivery"), gitea);
        }
        if (header("X-GitHub-Event") is { Length: > 0 } github)
        {
            return new WebhookDelivery(WebhookProvider.GitHub, header("X-GitHub-Delivery"), github);
        }
        if (header("X-Gitlab-Event") is { Length: > 0 } gitlab)
        {
            return new WebhookDelivery(WebhookProvider.GitLab, header("X-Gitlab-Event-UUID") ?? header("Idempotency-Key"), gitlab);
        }
        error = "not a push webhook Gantry knows: expected GitHub's X-GitHub-Event, GitLab's X-Gitlab-Event or Gitea's X-Gitea-Event header";
        return null;
    }

    /// <summary>A push, as each forge names it.</summary>
    public bool IsPush => Provider == WebhookProvider.GitLab ? Event == "Push Hook" : Event == "push";

    /// <summary>True when the delivery proves <paramref name="secret"/>: a signature of <paramref name="body"/> made with it, or (GitLab) the secret.</summary>
    public bool IsSignedWith(string secret, ReadOnlySpan<byte> body, Func<string, string?> header)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        switch (Provider)
        {
            case WebhookProvider.GitLab:
                return header("X-Gitlab-Token") is { } token && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), key);
            case WebhookProvider.GitHub:
                return header("X-Hub-Signature-256") is { } signed && signed.StartsWith("sha256=", StringComparison.Ordinal) && SameHex(signed[7..], HMACSHA256.HashData(key, body));
            default:
                return header("X-Gitea-Signature") is { } gitea && SameHex(gitea, HMACSHA256.HashData(key, body));
        }
    }

    /// <summary>The signature a sender makes (for tests and for documenting the rule): HMAC-SHA256 of the body, lower-case hex.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static bool SameHex(string text, byte[] expected)
    {
        byte[] given;
        try
        {
            given = Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The pushed ref and the commit it now names, from a push event's body (the three forges share `ref` and `after`).</summary>
    public static (string Ref, string After)? ReadPush(ReadOnlySpan<byte> body, out string error)
    {
        error = "";
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ref", out var reference) && reference.ValueKind == JsonValueKind.String
                && root.TryGetProperty("after", out var after) && after.ValueKind == JsonValueKind.String && Git.RefUpdate.IsObjectId(after.GetString()!))
            {
                return (reference.GetString()!, after.GetString()!);
            }
            error = "the push event has no 'ref' and 'after' (a 40-hex commit id)";
            return null;
        }
        catch (JsonException e)
        {
            error = $"the body is not JSON ({e.Message})";
            return null;
        }
    }
}
