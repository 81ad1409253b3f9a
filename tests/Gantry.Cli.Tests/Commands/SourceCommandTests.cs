using System.Text.Json.Nodes;
using Gantry.Cli.Commands;
using Gantry.Cli.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Gantry.Cli.Tests.Commands;

public sealed class SourceCommandTests
{
    [Fact]
    public async Task SourceSet_SecretFromStandardInput_SentInTheBodyAndNeverEchoed()
    {
        string? method = null, path = null, body = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            method = ctx.Request.Method;
            path = ctx.Request.Path.Value;
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("shop follows https://git.example/shop.git (with credentials, sealed), branch release\n");
        });
        using var h = new CliHarness(server.Url) { Input = "0123456789abcdef-secret\n" };

        var code = await h.RunAsync("source", "set", "shop", "https://bot:tok@git.example/shop.git", "--branch", "release", "--env", "staging");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Equal(("PUT", "/api/v1/apps/shop/source"), (method, path));
        var sent = JsonNode.Parse(body!)!;
        Assert.Equal("https://bot:tok@git.example/shop.git", (string?)sent["url"]);
        Assert.Equal("release", (string?)sent["branch"]);
        Assert.Equal("0123456789abcdef-secret", (string?)sent["secret"]);
        Assert.Equal("staging", (string?)sent["environment"]);
        Assert.Null(sent["team"]);
        Assert.Contains("(with credentials, sealed)", h.Out);
        Assert.DoesNotContain("0123456789abcdef-secret", h.Out + h.Error);
    }

    [Fact]
    public async Task SourceSet_NoSecretOnStandardInput_UsageErrorSaysHowToPipeIt()
    {
        var called = false;
        await using var server = await TestServer.StartAsync(ctx => { called = true; return Task.CompletedTask; });
        using var h = new CliHarness(server.Url) { Input = "" };

        var code = await h.RunAsync("source", "set", "shop", "https://git.example/shop.git");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no webhook secret on standard input", h.Error);
        Assert.False(called);
    }

    [Fact]
    public async Task Source_ShowsTheServersDescription()
    {
        string? path = null;
        await using var server = await TestServer.StartAsync(async ctx =>
        {
            path = ctx.Request.Path.Value;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("shop follows /srv/git/shop.git, branch main\n");
        });
        using var h = new CliHarness(server.Url);

        var code = await h.RunAsync("source", "shop");

        Assert.True(code == ExitCodes.Ok, h.Error);
        Assert.Equal("/api/v1/apps/shop/source", path);
        Assert.Equal("shop follows /srv/git/shop.git, branch main\n", h.Out);
    }
}
