using System.Text;
using Gantry.Server.Webhooks;

namespace Gantry.Server.Tests.Webhooks;

/// <summary>The three forges' push webhooks: told apart by their headers, verified by HMAC (GitLab: its token), read for ref and after.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "0123456789abcdef-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main","after":"89abcdef0123456789abcdef0123456789abcdef"}""");

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void GitHub_SignedWithTheSecret_IsVerifiedAndReadsThePush()
    {
        var headers = Headers(("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "d1"), ("X-Hub-Signature-256", "sha256=" + WebhookDelivery.Sign(Secret, Body)));

        var delivery = WebhookDelivery.Read(headers, out _)!;

        Assert.Equal((WebhookProvider.GitHub, "d1", true), (delivery.Provider, delivery.DeliveryId, delivery.IsPush));
        Assert.True(delivery.IsSignedWith(Secret, Body, headers));
        Assert.Equal(("refs/heads/main", "89abcdef0123456789abcdef0123456789abcdef"), WebhookDelivery.ReadPush(Body, out _));
    }

    [Fact]
    public void GitHub_OtherSecretOrChangedBody_IsRefused()
    {
        var headers = Headers(("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + WebhookDelivery.Sign("another-secret-entirely", Body)));
        var delivery = WebhookDelivery.Read(headers, out _)!;

        Assert.False(delivery.IsSignedWith(Secret, Body, headers));
        var signed = Headers(("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + WebhookDelivery.Sign(Secret, Body)));
        Assert.False(delivery.IsSignedWith(Secret, [.. Body, (byte)' '], signed));
        Assert.False(delivery.IsSignedWith(Secret, Body, Headers(("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=not-hex"))));
        Assert.False(delivery.IsSignedWith(Secret, Body, Headers(("X-GitHub-Event", "push"))));
    }

    [Fact]
    public void Gitea_AlsoSendingGitHubHeaders_IsReadAsGiteaAndVerifiedByItsSignature()
    {
        var headers = Headers(("X-Gitea-Event", "push"), ("X-GitHub-Event", "push"), ("X-Gitea-Delivery", "g1"), ("X-Gitea-Signature", WebhookDelivery.Sign(Secret, Body)));

        var delivery = WebhookDelivery.Read(headers, out _)!;

        Assert.Equal((WebhookProvider.Gitea, "g1"), (delivery.Provider, delivery.DeliveryId));
        Assert.True(delivery.IsSignedWith(Secret, Body, headers));
        Assert.False(delivery.IsSignedWith("0123456789abcdef-other", Body, headers));
    }

    [Fact]
    public void GitLab_TokenIsTheSecret_PushHookIsAPush()
    {
        var good = Headers(("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "u1"), ("X-Gitlab-Token", Secret));
        var delivery = WebhookDelivery.Read(good, out _)!;

        Assert.Equal((WebhookProvider.GitLab, "u1", true), (delivery.Provider, delivery.DeliveryId, delivery.IsPush));
        Assert.True(delivery.IsSignedWith(Secret, Body, good));
        Assert.False(delivery.IsSignedWith(Secret, Body, Headers(("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", Secret + "x"))));
        Assert.False(WebhookDelivery.Read(Headers(("X-Gitlab-Event", "Tag Push Hook")), out _)!.IsPush);
    }

    [Fact]
    public void Read_NoForgeHeader_SaysWhichHeadersItExpects()
    {
        Assert.Null(WebhookDelivery.Read(Headers(("X-Event", "push")), out var error));
        Assert.Contains("X-GitHub-Event", error, StringComparison.Ordinal);
        Assert.Contains("X-Gitea-Event", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPush_NotACommitId_SaysWhatIsMissing()
    {
        Assert.Null(WebhookDelivery.ReadPush(Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main","after":"HEAD"}"""), out var error));
        Assert.Contains("'after'", error, StringComparison.Ordinal);
        Assert.Null(WebhookDelivery.ReadPush(Encoding.UTF8.GetBytes("not json"), out error));
        Assert.StartsWith("the body is not JSON", error, StringComparison.Ordinal);
    }

}
