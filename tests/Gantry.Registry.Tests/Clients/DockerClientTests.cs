using Gantry.Registry.Tests.Infrastructure;

namespace Gantry.Registry.Tests.Clients;

/// <summary>The real docker CLI and engine against the registry with token auth: login, push, pull, run.</summary>
public sealed class DockerClientTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;
    private readonly string _dockerConfig = Path.Combine(Path.GetTempPath(), "gdr-dockercfg-" + Guid.NewGuid().ToString("N")[..8]);

    // A private DOCKER_CONFIG keeps the login out of the machine's shared ~/.docker/config.json.
    private Dictionary<string, string> Env => new() { ["DOCKER_CONFIG"] = _dockerConfig };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dockerConfig);
        _registry = await TestRegistry.StartAsync(
            o => o with { RequireAuth = true, AnonymousPullRepositories = ["gdr-*/public"] },
            s => s.AddSingleton<IRegistryCredentialValidator>(new StaticCredentialValidator().Add("gdr", "s3cret")));
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_dockerConfig, recursive: true);
    }

    [Fact]
    public async Task DockerPushPull_AfterLogin_RoundTripsMultiLayerImage()
    {
        await using TestImage image = await TestImage.BuildAsync();
        string remote = $"{_registry.HostPort}/gdr-{image.Nonce}/app:v1";
        await image.TagAsAsync(remote);

        string login = await ProcessRunner.MustAsync("docker", ["login", _registry.HostPort, "-u", "gdr", "--password-stdin"], Env, stdin: "s3cret");
        Assert.Contains("Login Succeeded", login, StringComparison.Ordinal);

        string push = await ProcessRunner.MustAsync("docker", ["push", remote], Env);
        Assert.Contains("digest: sha256:", push, StringComparison.Ordinal);

        await ProcessRunner.MustAsync("docker", ["rmi", remote], Env);
        string pull = await ProcessRunner.MustAsync("docker", ["pull", remote], Env);
        Assert.Contains("Downloaded newer image", pull, StringComparison.Ordinal);

        string output = await ProcessRunner.MustAsync("docker", ["run", "--rm", "--name", $"gdr-run-{image.Nonce}", remote, "cat", "/nonce.txt"], Env);
        Assert.Contains(image.Nonce, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerPull_AnonymousOnPublicRepository_WorksWithoutLogin()
    {
        await using TestImage image = await TestImage.BuildAsync();
        string remote = $"{_registry.HostPort}/gdr-{image.Nonce}/public:v1";
        await image.TagAsAsync(remote);
        await ProcessRunner.MustAsync("docker", ["login", _registry.HostPort, "-u", "gdr", "--password-stdin"], Env, stdin: "s3cret");
        await ProcessRunner.MustAsync("docker", ["push", remote], Env);
        await ProcessRunner.MustAsync("docker", ["rmi", remote], Env);

        string anonymousConfig = Path.Combine(_dockerConfig, "anonymous");
        Directory.CreateDirectory(anonymousConfig);
        var anonymous = new Dictionary<string, string> { ["DOCKER_CONFIG"] = anonymousConfig };
        string pull = await ProcessRunner.MustAsync("docker", ["pull", remote], anonymous);
        Assert.Contains("Downloaded newer image", pull, StringComparison.Ordinal);

        // Anonymous pull does not extend to pushing.
        (int code, string output) = await ProcessRunner.RunAsync("docker", ["push", remote], anonymous);
        Assert.NotEqual(0, code);
        Assert.Contains("denied", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DockerLogin_WrongPassword_Fails()
    {
        (int code, string output) = await ProcessRunner.RunAsync("docker", ["login", _registry.HostPort, "-u", "gdr", "--password-stdin"], Env, stdin: "wrong");
        Assert.NotEqual(0, code);
        Assert.Contains("unauthorized", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DockerPush_WithoutLogin_IsUnauthorized()
    {
        await using TestImage image = await TestImage.BuildAsync();
        string remote = $"{_registry.HostPort}/gdr-{image.Nonce}/anon:v1";
        await image.TagAsAsync(remote);
        (int code, string output) = await ProcessRunner.RunAsync("docker", ["push", remote], Env);
        Assert.NotEqual(0, code);
        Assert.Contains("denied", output, StringComparison.OrdinalIgnoreCase);
    }
}
