using System.Text.Json;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Gantry.Model.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class EnvironmentCommandsTests
{
    [Fact]
    public void ParsePairs_ValueWithEquals_KeepsIt()
    {
        var pairs = VarsCommand.ParsePairs(["URL=http://x/?a=b", "EMPTY="]);

        Assert.Equal("http://x/?a=b", pairs["URL"]);
        Assert.Equal("", pairs["EMPTY"]);
        Assert.Contains("'NOEQUALS' is not KEY=VALUE", Assert.Throws<CliException>(() => VarsCommand.ParsePairs(["NOEQUALS"])).Message);
    }

    [Theory]
    [InlineData("3", 3L, null)]
    [InlineData("1A2B3C4", null, "1a2b3c4")]
    [InlineData("1234567", null, "1234567")]
    public void ParseTarget_NumberOrCommit(string to, long? number, string? commit) =>
        Assert.Equal((number, commit), RollbackCommand.ParseTarget(to));

    [Fact]
    public void StripOneNewline_DropsOnlyTheLastOne()
    {
        Assert.Equal("a\n", SecretsCommand.StripOneNewline("a\n\n"));
        Assert.Equal("a", SecretsCommand.StripOneNewline("a\r\n"));
        Assert.Equal("a", SecretsCommand.StripOneNewline("a"));
    }

    [Fact]
    public async Task SecretsSet_ReadsStandardInputAndSendsItOnlyAsTheBody()
    {
        string? path = null, body = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            path = ctx.Request.Path.Value;
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            await TestServer.WriteJsonAsync(ctx, new SecretSetResponse("db", 3), ApiJsonContext.Default.SecretSetResponse, 200);
        });
        using var h = new CliHarness(server.Url) { Input = "s3cret\n" };

        var code = await h.RunAsync("secrets", "set", "shop", "--env", "staging", "db");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Equal("/api/v1/apps/shop/environments/staging/secrets/db", path);
        Assert.Equal("s3cret", body);
        Assert.Contains("secret db is now v3", h.Out);
        Assert.DoesNotContain("s3cret", h.Out + h.Error);
    }

    [Fact]
    public async Task Rollback_CommitInStaging_PostsTheCommitToTheStagingApp()
    {
        string? path = null, body = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            path = ctx.Request.Path.Value;
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            await TestServer.WriteJsonAsync(ctx, new RollbackResponse("shop-staging", 4, 2, true, 7), ApiJsonContext.Default.RollbackResponse, 202);
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("rollback", "shop", "--env", "staging", "--to", "abcdef12", "--no-wait");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Equal("/api/v1/apps/shop-staging/rollback", path);
        Assert.Equal("abcdef12", JsonSerializer.Deserialize(body!, ApiJsonContext.Default.RollbackRequest)!.Commit);
    }
}
