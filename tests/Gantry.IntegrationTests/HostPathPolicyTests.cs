using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gantry.Cli.Bundles;
using Gantry.IntegrationTests.Infrastructure;
using Gantry.Model.Api;

namespace Gantry.IntegrationTests;

/// <summary>Through the real server: a deploy that binds the Docker socket is refused with a located 422 and runs nothing.</summary>
public sealed class HostPathPolicyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Deploy_BindOfTheDockerSocket_Is422WithTheLineAndTheFlag()
    {
        using var project = new TestProject("""
            services:
              web:
                image: gantry/busybox:1
                command: ["sleep", "3600"]
                volumes:
                  - /var/run/docker.sock:/var/run/docker.sock
            """);
        var app = TestProject.UniqueApp("sock");

        using var response = await PutBundleAsync(app, project.Directory);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        var problem = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ApiProblem)!;
        var error = Assert.Single(problem.Errors ?? []);
        Assert.Equal(("compose.yaml", 6, 9, "services.web.volumes[0]"), (error.File, error.Line, error.Column, error.Path));
        Assert.Contains("Docker socket", error.Message, StringComparison.Ordinal);
        Assert.Contains("gantry server --allow-host-path /var/run/docker.sock", error.Message, StringComparison.Ordinal);
        Assert.Empty(await EngineProbe.ContainersAsync(fixture.Server.InstallationId, app));
    }

    // The raw API, as any client could call it, so the status code is the server's own and not the CLI's exit code.
    private async Task<HttpResponseMessage> PutBundleAsync(string app, string directory)
    {
        using var bundle = new MemoryStream();
        await BundleWriter.WriteAsync(bundle, BundleWriter.List(directory, IgnoreRules.Default), CancellationToken.None);
        bundle.Position = 0;
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new DeployRequest(), ApiJsonContext.Default.DeployRequest), Encoding.UTF8, "application/json"), "request");
        var part = new StreamContent(bundle);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(part, "bundle", "bundle.tar.gz");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{fixture.Server.Url}/api/v1/apps/{app}") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Server.Token);
        return await http.SendAsync(request);
    }
}
