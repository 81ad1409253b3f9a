using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// Issue 12, users, teams and roles through the real server: every mutating endpoint against every role (a table), one
/// team blind to another's apps, tokens narrowed by scope, revoked and expired, the admins-only policy for privileged
/// deploys, sign-in rate limiting, the audit log, and the registry's grants by team.
/// </summary>
public sealed class IdentityTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    public static TheoryData<string, string, string, string?, int> Matrix() => new()
    {
        // App endpoints: a role in the app's team decides; no role there is 404, exactly like an app that does not exist.
        { "viewer-a", "GET", "/api/v1/apps/{app}", null, 200 },
        { "deployer-b", "GET", "/api/v1/apps/{app}", null, 404 },
        { "router", "GET", "/api/v1/apps/{app}", null, 403 },
        { "viewer-a", "POST", "/api/v1/apps/{app}/scale", """{"replicas":{"web":1}}""", 403 },
        { "deployer-b", "POST", "/api/v1/apps/{app}/scale", """{"replicas":{"web":1}}""", 404 },
        { "router", "POST", "/api/v1/apps/{app}/scale", """{"replicas":{"web":1}}""", 403 },
        { "viewer-a", "POST", "/api/v1/apps/{app}/rollback", "{}", 403 },
        { "deployer-b", "POST", "/api/v1/apps/{app}/rollback", "{}", 404 },
        { "viewer-a", "DELETE", "/api/v1/apps/{app}", null, 403 },
        { "deployer-b", "DELETE", "/api/v1/apps/{app}", null, 404 },
        { "viewer-a", "PUT", "/api/v1/apps/{app}", "{}", 403 },
        { "deployer-b", "PUT", "/api/v1/apps/{app}", "{}", 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/logs", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/events", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/releases", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/releases/1", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/requests", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/replicas", null, 404 },
        { "viewer-a", "GET", "/api/v1/apps/{app}/releases/1", null, 200 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/metrics", null, 404 },
        { "viewer-a", "GET", "/api/v1/apps/{app}/metrics", null, 200 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/autoscale", null, 404 },
        { "viewer-a", "GET", "/api/v1/apps/{app}/autoscale", null, 200 },
        { "viewer-a", "GET", "/api/v1/alerts", null, 200 },
        // Builds (docs/decisions/0025): viewers read, deployers cancel; an unknown build number is 404 naming it.
        { "viewer-a", "GET", "/api/v1/apps/{app}/builds", null, 200 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/builds", null, 404 },
        { "viewer-a", "GET", "/api/v1/apps/{app}/builds/1", null, 404 },
        { "deployer-b", "GET", "/api/v1/apps/{app}/builds/1/log", null, 404 },
        { "viewer-a", "POST", "/api/v1/apps/{app}/builds/1/cancel", null, 403 },
        { "deployer-b", "POST", "/api/v1/apps/{app}/builds/1/cancel", null, 404 },
        { "deployer-a", "POST", "/api/v1/apps/{app}/builds/1/cancel", null, 404 },
        // Users, teams, the audit log and the installation: admins only.
        { "deployer-a", "POST", "/api/v1/users", """{"name":"mallory","password":"long-enough-password","team":"default","role":"admin"}""", 403 },
        { "viewer-a", "GET", "/api/v1/users", null, 403 },
        { "deployer-a", "DELETE", "/api/v1/users/viewer-a", null, 403 },
        { "deployer-a", "PUT", "/api/v1/users/deployer-a/teams/default", """{"role":"admin"}""", 403 },
        { "deployer-a", "DELETE", "/api/v1/users/viewer-a/teams/{teamA}", null, 403 },
        { "deployer-a", "PUT", "/api/v1/users/viewer-a/password", """{"password":"another-long-password"}""", 403 },
        { "deployer-a", "POST", "/api/v1/users/viewer-a/disable", null, 403 },
        { "both@b", "POST", "/api/v1/users/viewer-a/disable", null, 403 },
        { "viewer-a", "POST", "/api/v1/users/viewer-a/enable", null, 403 },
        { "router", "POST", "/api/v1/users/viewer-a/disable", null, 403 },
        { "admin", "POST", "/api/v1/users/no-such-user/disable", null, 404 },
        { "deployer-a", "GET", "/api/v1/audit?action=scale&app={app}&before=100", null, 403 },
        { "admin", "GET", "/api/v1/audit?action=scale&app={app}&before=100", null, 200 },
        { "deployer-a", "POST", "/api/v1/teams", """{"name":"rogue"}""", 403 },
        { "deployer-a", "DELETE", "/api/v1/teams/{teamB}", null, 403 },
        { "deployer-a", "GET", "/api/v1/audit", null, 403 },
        { "deployer-a", "POST", "/api/v1/system/prune", null, 403 },
        { "deployer-a", "GET", "/api/v1/system/df", null, 403 },
        // The cluster (issue 11): machines, not apps: admins only. The host engine is no Swarm manager, so listing nodes is 409.
        { "deployer-a", "GET", "/api/v1/cluster", null, 403 },
        { "deployer-a", "POST", "/api/v1/cluster/init", "{}", 403 },
        { "viewer-a", "GET", "/api/v1/cluster/nodes", null, 403 },
        { "deployer-a", "POST", "/api/v1/cluster/nodes", """{"engine":"unix:///run/gantry-none.sock"}""", 403 },
        { "deployer-a", "POST", "/api/v1/cluster/nodes/node1/drain", null, 403 },
        { "deployer-a", "DELETE", "/api/v1/cluster/nodes/node1", null, 403 },
        { "router", "GET", "/api/v1/cluster/nodes", null, 403 },
        { "admin", "GET", "/api/v1/cluster", null, 200 },
        { "admin", "GET", "/api/v1/cluster/nodes", null, 409 },
        { "router", "POST", "/api/v1/users", """{"name":"mallory","password":"long-enough-password","team":"default","role":"admin"}""", 403 },
        { "router", "POST", "/api/v1/tokens", "{}", 403 },
        // The route table and the routers' reports: routers and admins.
        { "deployer-a", "GET", "/api/v1/routes", null, 403 },
        { "deployer-a", "POST", "/api/v1/router/status", "{}", 403 },
        { "deployer-a", "POST", "/api/v1/router/requests", """{"requests":[]}""", 403 },
        { "deployer-a", "POST", "/api/v1/router/wake", """{"app":"x","service":"web"}""", 403 },
        { "router", "GET", "/api/v1/routes", null, 200 },
        { "admin", "GET", "/api/v1/users", null, 200 },
        // The registry (/api/v1/registry, issue 12's Registry page): the registry's own grants per repository (team = first
        // segment): another team's is 404, a viewer or deployer may not delete (admins do), rules and collections are the admins'.
        { "viewer-a", "GET", "/api/v1/registry/repositories", null, 200 },
        { "router", "GET", "/api/v1/registry/repositories", null, 403 },
        { "deployer-b", "GET", "/api/v1/registry/repositories/{teamA}/web", null, 404 },
        { "viewer-a", "GET", "/api/v1/registry/repositories/{teamA}/no-such-repository", null, 404 },
        { "viewer-a", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 403 },
        { "deployer-a", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 403 },
        { "deployer-a:viewer", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 403 },
        { "deployer-b", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 404 },
        { "both@b", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 404 },
        { "router", "DELETE", "/api/v1/registry/images/{teamA}/web:v1", null, 403 },
        { "admin", "DELETE", "/api/v1/registry/images/{teamA}/no-such-repository:v1", null, 404 },
        { "admin", "DELETE", "/api/v1/registry/images/{teamA}/web", null, 422 },
        { "viewer-a", "GET", "/api/v1/registry/retention", null, 200 },
        { "deployer-a", "PUT", "/api/v1/registry/retention", """{"repository":"{teamA}/*","keepLast":1}""", 403 },
        { "both@b", "PUT", "/api/v1/registry/retention", """{"repository":"{teamB}/*","keepLast":1}""", 403 },
        { "admin", "PUT", "/api/v1/registry/retention", """{"repository":"Not Valid","keepLast":-1}""", 422 },
        { "deployer-a", "DELETE", "/api/v1/registry/retention/{teamA}/*", null, 403 },
        { "admin", "DELETE", "/api/v1/registry/retention/no-such-rule/*", null, 404 },
        { "viewer-a", "GET", "/api/v1/registry/gc", null, 200 },
        { "deployer-a", "POST", "/api/v1/registry/gc", null, 403 },
        { "router", "POST", "/api/v1/registry/gc", null, 403 },
        // A collection's preview names every team's images: admins only.
        { "deployer-a", "GET", "/api/v1/registry/gc/preview", null, 403 },
        { "viewer-a", "GET", "/api/v1/registry/gc/preview", null, 403 },
        { "admin", "GET", "/api/v1/registry/gc/preview", null, 200 },
        // Scoped tokens: narrowed to one team, or to a lower role.
        { "both", "GET", "/api/v1/apps/{app}", null, 200 },
        { "both@b", "GET", "/api/v1/apps/{app}", null, 404 },
        { "both@b", "POST", "/api/v1/apps/{app}/scale", """{"replicas":{"web":1}}""", 404 },
        { "deployer-a:viewer", "GET", "/api/v1/apps/{app}", null, 200 },
        { "deployer-a:viewer", "POST", "/api/v1/apps/{app}/scale", """{"replicas":{"web":1}}""", 403 },
        { "deployer-a:viewer", "DELETE", "/api/v1/apps/{app}", null, 403 },
        { "deployer-a:viewer", "POST", "/api/v1/tokens", """{"role":"deployer"}""", 409 },
        // A token may not outrank its user.
        { "viewer-a", "POST", "/api/v1/tokens", """{"role":"deployer"}""", 409 },
        { "deployer-a", "POST", "/api/v1/tokens", """{"team":"{teamB}"}""", 409 },
        { "deployer-a", "POST", "/api/v1/tokens", """{"expiresInSeconds":0}""", 409 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_ForRole_AnswersAsTheRoleAllows(string user, string method, string path, string? body, int expected)
    {
        using var http = fixture.Client(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{user} {method} {path}: {(int)response.StatusCode} {text}");
        if (expected == 403)
        {
            Assert.Contains("\"detail\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListApps_OtherTeam_DoesNotSeeTheAppAtAll()
    {
        using var mine = fixture.Client("viewer-a");
        using var theirs = fixture.Client("deployer-b");

        Assert.Contains(fixture.App, await mine.GetStringAsync("/api/v1/apps"), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App, await theirs.GetStringAsync("/api/v1/apps"), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.TeamA, await theirs.GetStringAsync("/api/v1/teams"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_ByDeployer_AcceptedAndAudited()
    {
        using var deployer = fixture.Client("deployer-a");
        var scale = await deployer.PostAsync($"/api/v1/apps/{fixture.App}/scale", new StringContent("""{"replicas":{"web":1}}""", Encoding.UTF8, "application/json"));
        Assert.True(scale.IsSuccessStatusCode, await scale.Content.ReadAsStringAsync());

        using var admin = fixture.Client("admin");
        var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?actor=deployer-a")).RootElement;
        var entry = audit.EnumerateArray().Last(e => e.GetProperty("action").GetString() == $"POST /api/v1/apps/{fixture.App}/scale" && e.GetProperty("status").GetInt32() < 300);
        Assert.Equal($"app {fixture.App}", entry.GetProperty("target").GetString());
        Assert.Equal(fixture.TeamA, entry.GetProperty("team").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
        // Refusals are kept too, with their status.
        Assert.Contains(JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?actor=viewer-a")).RootElement.EnumerateArray(),
            e => e.GetProperty("status").GetInt32() == 403);
        // Reads are not changes.
        Assert.DoesNotContain(audit.EnumerateArray(), e => e.GetProperty("action").GetString()!.StartsWith("GET ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Token_ScopedToAViewerRole_CannotScaleAndRevokedCannotRead()
    {
        using var deployer = fixture.Client("deployer-a");
        var created = await deployer.PostAsync("/api/v1/tokens", new StringContent("""{"role":"viewer","description":"dashboard","expiresInSeconds":3600}""", Encoding.UTF8, "application/json"));
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = token.GetProperty("secret").GetString()!;
        var id = token.GetProperty("token").GetProperty("id").GetString()!;
        using var narrow = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        narrow.DefaultRequestHeaders.Authorization = new("Bearer", secret);

        Assert.Equal(HttpStatusCode.OK, (await narrow.GetAsync($"/api/v1/apps/{fixture.App}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await narrow.PostAsync($"/api/v1/apps/{fixture.App}/scale", new StringContent("""{"replicas":{"web":1}}""", Encoding.UTF8, "application/json"))).StatusCode);
        // Another user cannot see or revoke it; its owner can, and it stops working at once.
        using var other = fixture.Client("viewer-a");
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        Assert.DoesNotContain(id, await other.GetStringAsync("/api/v1/tokens"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await deployer.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await narrow.GetAsync($"/api/v1/apps/{fixture.App}")).StatusCode);
    }

    [Fact]
    public async Task Deploy_PrivilegedByDeployer_RefusedWithTheLineEvenWhereTheServerAllowsIt()
    {
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                privileged: true
            """);
        var deployer = new CliRunner(fixture.Server) { Token = fixture.Tokens["deployer-a"] };

        var refused = await deployer.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", fixture.App, "--check");
        var admin = await new CliRunner(fixture.Server).RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", fixture.App, "--check");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("compose.yaml:5:", refused.Error + refused.Output, StringComparison.Ordinal);
        Assert.Contains("only an admin may deploy it", refused.Error + refused.Output, StringComparison.Ordinal);
        Assert.True(admin.ExitCode == 0, admin.ToString());
    }

    [Fact]
    public async Task Deploy_NewAppIntoAnotherTeam_Forbidden()
    {
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
            """);
        var deployer = new CliRunner(fixture.Server) { Token = fixture.Tokens["deployer-a"] };

        var result = await deployer.RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", TestProject.UniqueApp("stray"), "--team", fixture.TeamB, "--check");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"needs the deployer role there", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TenWrongPasswords_ThenRefusedEvenWithTheRightOne()
    {
        using var http = LoopbackClient.From(IPAddress.Parse("127.0.0.3"), fixture.Server.Url);
        for (var i = 0; i < 10; i++)
        {
            var wrong = await http.PostAsJsonAsync("/api/v1/login", new { username = "viewer-a", password = $"wrong-{i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var right = await http.PostAsJsonAsync("/api/v1/login", new { username = "viewer-a", password = IdentityFixture.Password });

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
        Assert.DoesNotContain("wrong-", fixture.Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryToken_ForTeamMembers_GrantsTheirTeamsRepositoriesOnly()
    {
        // Docker's token flow: Basic credentials (a user and password) for a bearer token whose access claim lists what was granted.
        var viewer = await AccessAsync("viewer-a", IdentityFixture.Password, $"repository:{fixture.TeamA}/web:pull,push");
        var deployer = await AccessAsync("deployer-a", IdentityFixture.Password, $"repository:{fixture.TeamA}/web:pull,push");
        var outsider = await AccessAsync("deployer-b", IdentityFixture.Password, $"repository:{fixture.TeamA}/web:pull,push");

        Assert.Equal(["pull"], viewer);
        Assert.Equal(["pull", "push"], deployer.Order(StringComparer.Ordinal));
        Assert.Empty(outsider);
    }

    [Fact]
    public async Task Cli_AdminAddsAUser_WhoSignsInWithThePasswordAndMakesAToken()
    {
        var dir = Path.GetTempPath();
        var admin = new CliRunner(fixture.Server);
        var user = "cli-" + Guid.NewGuid().ToString("N")[..6];

        var added = await admin.RunWithInputAsync("a-password-long-enough\n", dir, "users", "add", user, "--team", fixture.TeamA, "--role", "deployer");
        var listed = await admin.RunAsync(dir, "users");
        // A fresh CLI (its own config) signs in with the password alone; later verbs use the token it saved.
        var signedIn = new CliRunner(fixture.Server) { Token = "" };
        var login = await signedIn.RunWithInputAsync("a-password-long-enough\n", dir, "login", "--user", user);
        var whoami = await signedIn.RunAsync(dir, "whoami");
        var token = await signedIn.RunAsync(dir, "tokens", "create", "--role", "viewer", "--expires", "2d", "--description", "ci");
        var apps = await signedIn.RunAsync(dir, "apps");
        var audit = await admin.RunAsync(dir, "audit", "--user", user);

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains(user, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("a-password-long-enough", listed.Output + added.Output + added.Error, StringComparison.Ordinal);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"{user}: deployer in {fixture.TeamA}", whoami.Output, StringComparison.Ordinal);
        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.StartsWith("gtk_", token.Output.Trim(), StringComparison.Ordinal);
        Assert.Contains(fixture.App, apps.Output, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/tokens", audit.Output, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/login", audit.Output, StringComparison.Ordinal);
    }

    private async Task<List<string>> AccessAsync(string user, string password, string scope)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/token?service=gantry&scope={Uri.EscapeDataString(scope)}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var jwt = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload += new string('=', (4 - payload.Length % 4) % 4);
        var claims = JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement;
        return claims.TryGetProperty("access", out var access)
            ? access.EnumerateArray().SelectMany(a => a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()!)).ToList()
            : [];
    }

    private string Fill(string text) =>
        text.Replace("{app}", fixture.App, StringComparison.Ordinal)
            .Replace("{teamA}", fixture.TeamA, StringComparison.Ordinal)
            .Replace("{teamB}", fixture.TeamB, StringComparison.Ordinal);
}
