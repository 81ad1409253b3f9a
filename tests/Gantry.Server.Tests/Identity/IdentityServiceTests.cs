using Gantry.Model.Api.Identity;
using Gantry.Server.Apps;
using Gantry.Server.Identity;

namespace Gantry.Server.Tests.Identity;

/// <summary>The rules that depend on the records, on a real store: the first admin, passwords, the last admin, tokens' reach and life.</summary>
public sealed class IdentityServiceTests : StoreFixture
{
    private const string AdminToken = "gty_the-admin-token-for-tests";
    private IdentityService _identity = null!;
    private Authenticator _auth = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _identity = new IdentityService(Store, new IdentityOptions { PasswordIterations = 1_000 }, Time);
        _auth = new Authenticator(Store, System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AdminToken)),
            System.Security.Cryptography.SHA256.HashData("router"u8), Time);
        await _identity.EnsureBootstrapAsync(AdminToken, default);
        Assert.Equal(ChangeOutcomeKind.Accepted, (await _identity.CreateTeamAsync("web", default)).Kind);
    }

    [Fact]
    public async Task EnsureBootstrap_AdminSignsInWithTheAdminToken_AndASecondStartChangesNothing()
    {
        var admin = await _auth.AuthenticatePasswordAsync("admin", AdminToken, default);
        var before = await Store.GetAsync(IdentityKinds.User, "admin");

        await _identity.EnsureBootstrapAsync(AdminToken, default);

        Assert.NotNull(admin);
        Assert.True(admin.IsAdmin);
        Assert.Equal(before, await Store.GetAsync(IdentityKinds.User, "admin"));
    }

    [Fact]
    public async Task CreateUser_WeakPasswordMissingTeamOrDuplicate_ClearRefusals()
    {
        var weak = await _identity.CreateUserAsync(new UserCreateRequest("alice", "short", "web", Role.Viewer), default);
        var noTeam = await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "nope", Role.Viewer), default);
        var badName = await _identity.CreateUserAsync(new UserCreateRequest("Alice!", "long enough secret", "web", Role.Viewer), default);
        var ok = await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Viewer), default);
        var again = await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Viewer), default);

        Assert.Equal(ChangeOutcomeKind.Invalid, weak.Kind);
        Assert.Contains("at least 12", weak.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(ChangeOutcomeKind.Missing, noTeam.Kind);
        Assert.Contains("gantry teams add nope", noTeam.Reason, StringComparison.Ordinal);
        Assert.Equal(ChangeOutcomeKind.Invalid, badName.Kind);
        Assert.Equal(ChangeOutcomeKind.Accepted, ok.Kind);
        Assert.Equal(ChangeOutcomeKind.Conflict, again.Kind);
        Assert.DoesNotContain("long enough secret", (await Store.GetAsync(IdentityKinds.User, "alice"))!.SpecJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastAdmin_CannotBeRemovedOrDemoted()
    {
        Assert.Equal(ChangeOutcomeKind.Refused, (await _identity.DeleteUserAsync("admin", default)).Kind);
        Assert.Equal(ChangeOutcomeKind.Refused, (await _identity.SetMembershipAsync("admin", "default", Role.Deployer, default)).Kind);

        await _identity.CreateUserAsync(new UserCreateRequest("second", "long enough secret", "default", Role.Admin), default);

        Assert.Equal(ChangeOutcomeKind.Accepted, (await _identity.SetMembershipAsync("admin", "default", Role.Deployer, default)).Kind);
    }

    [Fact]
    public async Task Token_ExpiresAndDiesWithItsUser()
    {
        await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Deployer), default);
        var alice = (await _auth.AuthenticatePasswordAsync("alice", "long enough secret", default))!;
        var hour = (await _identity.CreateTokenAsync(alice, new TokenCreateRequest { ExpiresInSeconds = 3600 }, default)).Response!;
        var month = (await _identity.CreateTokenAsync(alice, new TokenCreateRequest(), default)).Response!;

        Assert.Equal("alice", (await _auth.AuthenticateTokenAsync(hour.Secret, default))?.Name);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await _auth.AuthenticateTokenAsync(hour.Secret, default));
        Assert.NotNull(await _auth.AuthenticateTokenAsync(month.Secret, default));

        await _identity.DeleteUserAsync("alice", default);

        Assert.Null(await _auth.AuthenticateTokenAsync(month.Secret, default));
        Assert.Empty(await Store.ListAsync(IdentityKinds.Token));
    }

    [Fact]
    public async Task Token_TamperedSecretOrUnknownId_Refused()
    {
        var admin = (await _auth.AuthenticateTokenAsync(AdminToken, default))!;
        var token = (await _identity.CreateTokenAsync(admin, new TokenCreateRequest(), default)).Response!;

        Assert.NotNull(await _auth.AuthenticateTokenAsync(token.Secret, default));
        Assert.Null(await _auth.AuthenticateTokenAsync(token.Secret[..^1] + (token.Secret[^1] == 'a' ? 'b' : 'a'), default));
        Assert.Null(await _auth.AuthenticateTokenAsync("gtk_000000000000_" + token.Secret[17..], default));
        Assert.DoesNotContain(token.Secret, (await Store.GetAsync(IdentityKinds.Token, token.Token.Id))!.SpecJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_OwnNeedsTheCurrentOne_AdminDoesNot()
    {
        await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Viewer), default);
        var alice = (await _auth.AuthenticatePasswordAsync("alice", "long enough secret", default))!;
        var admin = (await _auth.AuthenticateTokenAsync(AdminToken, default))!;

        var without = await _identity.ChangePasswordAsync("alice", new PasswordChangeRequest("a new long secret"), alice, default);
        var with = await _identity.ChangePasswordAsync("alice", new PasswordChangeRequest("a new long secret") { Current = "long enough secret" }, alice, default);
        var byAdmin = await _identity.ChangePasswordAsync("alice", new PasswordChangeRequest("the admin's choice"), admin, default);

        Assert.Equal(ChangeOutcomeKind.Refused, without.Kind);
        Assert.Equal(ChangeOutcomeKind.Accepted, with.Kind);
        Assert.Equal(ChangeOutcomeKind.Accepted, byAdmin.Kind);
        Assert.Null(await _auth.AuthenticatePasswordAsync("alice", "a new long secret", default));
        Assert.NotNull(await _auth.AuthenticatePasswordAsync("alice", "the admin's choice", default));
    }

    [Fact]
    public async Task DeleteTeam_WithMembers_RefusedNamingThem()
    {
        await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Viewer), default);

        var refused = await _identity.DeleteTeamAsync("web", default);

        Assert.Equal(ChangeOutcomeKind.Refused, refused.Kind);
        Assert.Contains("1 member: alice", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(ChangeOutcomeKind.Refused, (await _identity.DeleteTeamAsync("default", default)).Kind);
    }

    [Fact]
    public async Task SetDisabled_PasswordAndTokensStopUntilEnabled_LastAdminRefused()
    {
        await _identity.CreateUserAsync(new UserCreateRequest("alice", "long enough secret", "web", Role.Deployer), default);
        var alice = (await _auth.AuthenticatePasswordAsync("alice", "long enough secret", default))!;
        var token = (await _identity.CreateTokenAsync(alice, new TokenCreateRequest(), default)).Response!;

        var disabled = await _identity.SetDisabledAsync("alice", true, default);

        Assert.True(disabled.Response!.Disabled);
        Assert.Null(await _auth.AuthenticatePasswordAsync("alice", "long enough secret", default));
        Assert.Null(await _auth.AuthenticateTokenAsync(token.Secret, default));
        Assert.True((await _identity.SetDisabledAsync("alice", false, default)).Response is { Disabled: false });
        Assert.NotNull(await _auth.AuthenticateTokenAsync(token.Secret, default));
        Assert.Equal(ChangeOutcomeKind.Refused, (await _identity.SetDisabledAsync("admin", true, default)).Kind);
        Assert.Equal(ChangeOutcomeKind.Missing, (await _identity.SetDisabledAsync("nobody", true, default)).Kind);
        // An enabled user's record does not carry the flag at all.
        Assert.DoesNotContain("disabled", (await Store.GetAsync(IdentityKinds.User, "alice"))!.SpecJson, StringComparison.OrdinalIgnoreCase);
    }
}
