using Gantry.Registry.Auth;

namespace Gantry.Registry.Tests.Auth;

public sealed class TokenScopeTests
{
    [Fact]
    public void TryParse_RepositoryScope_SplitsNameAndActions()
    {
        Assert.True(TokenScope.TryParse("repository:team/app:pull,push", out string type, out string name, out string[] actions));
        Assert.Equal("repository", type);
        Assert.Equal("team/app", name);
        Assert.Equal(["pull", "push"], actions);
    }

    [Fact]
    public void TryParse_TypeWithClass_DropsClass()
    {
        Assert.True(TokenScope.TryParse("repository(plugin):x:pull", out string type, out _, out _));
        Assert.Equal("repository", type);
    }

    [Fact]
    public void ParseActions_Star_GrantsAll() => Assert.Equal(RegistryActions.All, TokenScope.ParseActions(["*"]));

    [Fact]
    public void RegistryPrincipal_ActionsOn_UnionsMatchingGrants()
    {
        var principal = new RegistryPrincipal("u", [new RegistryGrant("team/*", RegistryActions.Pull), new RegistryGrant("team/app", RegistryActions.Push)]);
        Assert.Equal(RegistryActions.Pull | RegistryActions.Push, principal.ActionsOn("team/app"));
        Assert.Equal(RegistryActions.Pull, principal.ActionsOn("team/other"));
        Assert.Equal(RegistryActions.None, principal.ActionsOn("else/app"));
    }
}
