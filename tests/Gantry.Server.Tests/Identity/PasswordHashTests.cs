using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Identity;

public sealed class PasswordHashTests
{
    [Fact]
    public void Verify_RightAndWrongPassword_OnlyTheRightOneMatches()
    {
        var stored = PasswordHash.Create("correct horse battery", iterations: 1_000);

        Assert.True(PasswordHash.Verify("correct horse battery", stored));
        Assert.False(PasswordHash.Verify("correct horse batterY", stored));
        Assert.StartsWith("pbkdf2-sha256$1000$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("correct", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SamePasswordTwice_DifferentSalts()
    {
        Assert.NotEqual(PasswordHash.Create("same password!", 1_000), PasswordHash.Create("same password!", 1_000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not-base64!$AAAA")]
    [InlineData("bcrypt$10$AAAA$AAAA")]
    public void Verify_MalformedHash_FalseNotAnException(string stored)
    {
        Assert.False(PasswordHash.Verify("anything at all", stored));
    }

    [Fact]
    public void Weakness_ShortPassword_NamesTheMinimum()
    {
        Assert.Contains("at least 12", PasswordHash.Weakness("short"), StringComparison.Ordinal);
        Assert.Null(PasswordHash.Weakness("long enough passphrase"));
    }
}
