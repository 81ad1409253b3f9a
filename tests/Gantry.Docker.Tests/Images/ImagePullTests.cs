using System.Text;
using Gantry.Docker.Images;

namespace Gantry.Docker.Tests.Images;

public sealed class ImagePullTests
{
    [Fact]
    public async Task PullAsync_UnreachableRegistry_ThrowsDockerApiException()
    {
        await using var scope = new DockerTestScope("pull");

        // 127.0.0.1:9 (discard) never runs a registry, so the daemon fails fast without leaving the machine.
        var ex = await Assert.ThrowsAsync<DockerApiException>(() =>
            scope.Client.Images.PullAsync($"127.0.0.1:9/{scope.RunId}", auth: new RegistryAuth { Username = "u", Password = "p" }));

        Assert.Contains("127.0.0.1:9", ex.DaemonMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("busybox", null, "latest")]
    [InlineData("busybox:1.36", null, null)]
    [InlineData("localhost:5000/team/app", null, "latest")]
    [InlineData("localhost:5000/team/app:abc123", null, null)]
    [InlineData("app@sha256:0123", null, null)]
    [InlineData("app", "v2", "v2")]
    public void PullTag_References_DefaultsToLatestOnlyWhenUntagged(string reference, string? tag, string? expected)
    {
        Assert.Equal(expected, ImageReference.PullTag(reference, tag));
    }

    [Fact]
    public void ToHeaderValue_Credentials_IsPaddedBase64UrlJsonWithCliFieldNames()
    {
        var header = new RegistryAuth { Username = "dev", Password = "s3cr3t?>x", ServerAddress = "localhost:5000" }.ToHeaderValue();

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        Assert.Equal("""{"username":"dev","password":"s3cr3t?\u003Ex","serveraddress":"localhost:5000"}""", json);
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        // Go's base64.URLEncoding (what dockerd decodes with) requires '=' padding to a multiple of four.
        Assert.Equal(0, header.Length % 4);
        Assert.EndsWith("=", header, StringComparison.Ordinal);
    }
}
