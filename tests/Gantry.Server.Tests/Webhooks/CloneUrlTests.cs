using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Server.Git;
using Gantry.Server.Webhooks;

namespace Gantry.Server.Tests.Webhooks;

public sealed class CloneUrlTests
{
    [Theory]
    [InlineData("https://bot:tok-123@git.example.com/acme/shop.git", "https://git.example.com/acme/shop.git", "bot:tok-123")]
    [InlineData("https://tok%40x@git.example.com:8443/shop.git", "https://git.example.com:8443/shop.git", "tok@x:")]
    [InlineData("https://git.example.com/acme/shop.git", "https://git.example.com/acme/shop.git", null)]
    [InlineData("ssh://git@git.example.com/acme/shop.git", "ssh://git@git.example.com/acme/shop.git", null)]
    [InlineData("git@github.com:acme/shop.git", "git@github.com:acme/shop.git", null)]
    [InlineData("/srv/git/shop.git", "/srv/git/shop.git", null)]
    public void TrySplit_CredentialsLeaveTheShownUrl(string url, string shown, string? credentials)
    {
        Assert.True(CloneUrl.TrySplit(url, out var actualShown, out var actualCredentials, out var problem), problem);
        Assert.Equal((shown, credentials), (actualShown, actualCredentials));
    }

    [Fact]
    public void TrySplit_SshPassword_RefusedNamingTheFix()
    {
        Assert.False(CloneUrl.TrySplit("ssh://git:hunter2@git.example.com/shop.git", out _, out _, out var problem));
        Assert.Contains("cannot carry a password", problem, StringComparison.Ordinal);
        Assert.Contains("ssh://git@git.example.com/shop.git", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCredentials_RealGitFetch_SendsThemAsBasicAuthorizationAndNeverPrintsThem()
    {
        // A listener at the narrow seam: it records git's first request and answers 403, which ends the fetch.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var head = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[16384];
            var text = new StringBuilder();
            while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            await stream.WriteAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            return text.ToString();
        });
        Assert.True(CloneUrl.TrySplit($"http://bot:tok-secret-42@127.0.0.1:{port}/shop.git", out var shown, out var credentials, out _));
        var environment = GitProcess.BaseEnvironment();
        CloneUrl.AddCredentials(environment, credentials!);
        var directory = Directory.CreateTempSubdirectory("gantry-cloneurl-");
        try
        {
            var init = await GitProcess.RunAsync(["init", "-q", "--bare", directory.FullName], environment);
            Assert.True(init.Succeeded, init.Error);

            var fetch = await GitProcess.RunAsync(["--git-dir", directory.FullName, "fetch", "--quiet", "--", shown, "+refs/heads/main:refs/heads/main"], environment);

            Assert.False(fetch.Succeeded);
            var request = await head.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("GET /shop.git/info/refs?service=git-upload-pack ", request, StringComparison.Ordinal);
            Assert.Contains("Authorization: Basic " + Convert.ToBase64String("bot:tok-secret-42"u8.ToArray()), request, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-secret-42", fetch.Output + fetch.Error, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
