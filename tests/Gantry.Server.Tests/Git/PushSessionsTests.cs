using Gantry.Server.Git;
using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Git;

public sealed class PushSessionsTests
{
    private static readonly Principal Admin = Principal.Admin("admin", PrincipalKind.AdminToken);

    [Fact]
    public void Claim_TheSessionsToken_WorksOnce()
    {
        var sessions = new PushSessions();
        using var session = sessions.Begin(Admin, "shop", "/tmp/shop.git");

        Assert.Same(session, sessions.Claim(session.Token));
        Assert.Null(sessions.Claim(session.Token));
    }

    [Fact]
    public void Claim_AfterTheRequestEnded_IsRefused()
    {
        var sessions = new PushSessions();
        var session = sessions.Begin(Admin, "shop", "/tmp/shop.git");
        session.Dispose();

        Assert.Null(sessions.Claim(session.Token));
        Assert.Equal(0, sessions.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gtp_")]
    [InlineData("gtk_abc_def")]
    public void Claim_NotAPushToken_IsRefused(string? token) => Assert.Null(new PushSessions().Claim(token));

    [Fact]
    public void Claim_RightIdWrongSecret_IsRefusedAndLeavesTheSessionUsable()
    {
        var sessions = new PushSessions();
        using var session = sessions.Begin(Admin, "shop", "/tmp/shop.git");
        var id = session.Token.Split('_')[1];

        Assert.Null(sessions.Claim($"gtp_{id}_{new string('0', 64)}"));
        Assert.Same(session, sessions.Claim(session.Token));
    }

    [Fact]
    public void PushOptions_Known_AreParsedAndUnknownAreRefusedByName()
    {
        var options = PushOptions.Parse(["async", "team=web"], out _);
        Assert.Equal(new PushOptions(true, "web"), options);

        Assert.Null(PushOptions.Parse(["asink"], out var error));
        Assert.Contains("unknown push option 'asink'", error, StringComparison.Ordinal);
        Assert.Null(PushOptions.Parse(["team=../x"], out error));
        Assert.Contains("does not name a valid team", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsQuarantineOf_OnlyGitsOwnIncomingDirectory()
    {
        var repository = Path.Combine(Path.GetTempPath(), "gantry-q-" + Guid.NewGuid().ToString("N")[..8] + ".git");
        var quarantine = Path.Combine(repository, "objects", "tmp_objdir-incoming-abc");
        Directory.CreateDirectory(quarantine);
        try
        {
            Assert.True(PushDeployer.IsQuarantineOf(repository, quarantine));
            Assert.False(PushDeployer.IsQuarantineOf(repository, Path.Combine(repository, "objects")));
            Assert.False(PushDeployer.IsQuarantineOf(repository, "/tmp"));
            Assert.False(PushDeployer.IsQuarantineOf(repository, Path.Combine(repository, "objects", "tmp_objdir-incoming-abc", "..", "..", "..")));
            Assert.False(PushDeployer.IsQuarantineOf(repository, Path.Combine(repository, "objects", "tmp_objdir-incoming-missing")));
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }
}
