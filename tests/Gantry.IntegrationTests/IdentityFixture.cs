using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// One server (privileged keys allowed for every app, so only the caller's role stands between a deployer and them), two
/// teams, and users with each role, each signed in through `POST /api/v1/login`; an app deployed into team A.
/// </summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public const string Password = "correct-horse-battery";

    public GantryServerProcess Server { get; private set; } = null!;

    public string TeamA { get; } = "ta-" + Guid.NewGuid().ToString("N")[..6];

    public string TeamB { get; } = "tb-" + Guid.NewGuid().ToString("N")[..6];

    public string App { get; } = TestProject.UniqueApp("owned");

    /// <summary>Tokens by user: viewer-a, deployer-a, deployer-b, both (deployer in A and B), the narrowed both@b and deployer-a:viewer, plus "admin" (the admin token) and "router" (the routers' token).</summary>
    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        // These tests predate environments (docs/decisions/0024): their pushes deploy the app itself, production.
        Server = await GantryServerProcess.StartAsync(new Dictionary<string, string> { ["GANTRY_ALLOW_PRIVILEGE"] = "*", ["GANTRY_PUSH_ENVIRONMENT"] = "production" });
        Tokens["admin"] = Server.Token;
        Tokens["router"] = Server.RouterToken;
        using var admin = Client("admin");
        foreach (var team in new[] { TeamA, TeamB })
        {
            (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        }
        foreach (var (user, team, role) in new[] { ("viewer-a", TeamA, "viewer"), ("deployer-a", TeamA, "deployer"), ("deployer-b", TeamB, "deployer"), ("both", TeamA, "deployer") })
        {
            var created = await admin.PostAsJsonAsync("/api/v1/users", new { name = user, password = Password, team, role });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Tokens[user] = await LoginAsync(user, Password);
        }
        (await admin.PutAsJsonAsync($"/api/v1/users/both/teams/{TeamB}", new { role = "deployer" })).EnsureSuccessStatusCode();
        // Narrowed tokens: "both" acting in team B only, and deployer-a acting as a viewer.
        Tokens["both@b"] = await TokenAsync("both", new { team = TeamB });
        Tokens["deployer-a:viewer"] = await TokenAsync("deployer-a", new { role = "viewer" });
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                init: true
            """);
        var deploy = await new CliRunner(Server).RunAsync(project.Directory, "deploy", "-f", "compose.yaml", "--app", App, "--team", TeamA);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
    }

    public HttpClient Client(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[user]);
        return http;
    }

    private async Task<string> TokenAsync(string user, object request)
    {
        using var http = Client(user);
        var response = await http.PostAsJsonAsync("/api/v1/tokens", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }

    public async Task<string> LoginAsync(string user, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        var response = await http.PostAsJsonAsync("/api/v1/login", new { username = user, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
