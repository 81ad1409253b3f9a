using Gantry.Server.Git;

namespace Gantry.Server.Tests.Git;

public sealed class GitRepositoryNameTests
{
    [Theory]
    [InlineData("hello.git", "hello")]
    [InlineData("my-app_2.git", "my-app_2")]
    [InlineData("0day.git", "0day")]
    public void TryParse_AppNameDotGit_GivesTheApp(string segment, string app)
    {
        Assert.True(GitRepositoryName.TryParse(segment, out var parsed, out var error));
        Assert.Equal(app, parsed);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData(".git")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("..git")]
    [InlineData("...git")]
    [InlineData("../etc.git")]
    [InlineData("..%2f..%2fetc.git")]
    [InlineData("a/b.git")]
    [InlineData("Hello.git")]
    [InlineData("-x.git")]
    [InlineData("a.b.git")]
    [InlineData("a b.git")]
    [InlineData("a\u0000b.git")]
    [InlineData("hello.git.git")]
    public void TryParse_NotAnAppName_IsRefusedWithTheRule(string? segment)
    {
        Assert.False(GitRepositoryName.TryParse(segment, out var app, out var error));
        Assert.Equal("", app);
        Assert.Contains("is not a repository", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0000', error);
    }

    [Fact]
    public void TryParse_TooLong_IsRefused()
    {
        Assert.False(GitRepositoryName.TryParse(new string('a', 64) + ".git", out _, out var error));
        Assert.Contains("at most 63", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("gtk_abc123_0123456789abcdef", "(a credential in the user name field)")]
    [InlineData("gty_x", "(a credential in the user name field)")]
    [InlineData("Zm9vYmFyYmF6cXV1eDEyMzQ1Njc4OTBhYmNkZWY", "(a credential in the user name field)")]
    [InlineData("bad\u0001name", "bad?name")]
    public void LoggedUser_CredentialLooking_IsNamedNotQuoted(string user, string logged) =>
        Assert.Equal(logged, GitEndpoints.LoggedUser(user));
}
