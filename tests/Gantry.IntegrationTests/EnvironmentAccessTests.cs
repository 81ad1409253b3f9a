using System.Net;
using System.Net.Http.Json;
using Gantry.IntegrationTests.Infrastructure;

namespace Gantry.IntegrationTests;

/// <summary>
/// An environment set up before anything is deployed belongs to the team that set it up (docs/decisions/0024): another
/// team neither sees nor changes it, a viewer reads names but cannot set a secret. No engine work: fast.
/// </summary>
public sealed class EnvironmentAccessTests(IdentityFixture fixture) : IClassFixture<IdentityFixture>
{
    [Fact]
    public async Task Environment_SetUpByTeamA_IsInvisibleToTeamBAndReadOnlyForViewers()
    {
        var app = TestProject.UniqueApp("envacl");
        using var deployerA = fixture.Client("deployer-a");
        using var deployerB = fixture.Client("deployer-b");
        using var viewerA = fixture.Client("viewer-a");

        var set = await deployerA.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/staging/variables", new { set = new Dictionary<string, string> { ["HOST"] = "a.example" } });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        var secret = await deployerA.PutAsync($"/api/v1/apps/{app}/environments/staging/secrets/db", new StringContent("team-a-only"));
        Assert.True(secret.IsSuccessStatusCode, await secret.Content.ReadAsStringAsync());
        Assert.DoesNotContain("team-a-only", await secret.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await deployerB.GetAsync($"/api/v1/apps/{app}/environments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await deployerB.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/staging/variables", new { set = new Dictionary<string, string> { ["HOST"] = "b.example" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await deployerB.PutAsync($"/api/v1/apps/{app}/environments/staging/secrets/db", new StringContent("taken"))).StatusCode);

        var listed = await viewerA.GetStringAsync($"/api/v1/apps/{app}/environments");
        Assert.Contains("\"db\"", listed);
        Assert.Contains("a.example", listed);
        Assert.DoesNotContain("team-a-only", listed);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerA.PutAsync($"/api/v1/apps/{app}/environments/staging/secrets/db", new StringContent("x"))).StatusCode);
    }
}
