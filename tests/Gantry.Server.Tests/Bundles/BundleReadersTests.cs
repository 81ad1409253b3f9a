using Gantry.Compose;
using Gantry.Model;
using Gantry.Server.Apps;
using Gantry.Server.Bundles;

namespace Gantry.Server.Tests.Bundles;

/// <summary>
/// Whatever reads a file of a bundle after it is unpacked (secrets and configs, env_file, build contexts) goes by
/// the real path: a link inside the bundle that leads out (made on disk here, as an older server could have left
/// one) is never read.
/// </summary>
public sealed class BundleReadersTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public BundleReadersTests()
    {
        Directory.CreateDirectory(Bundle);
        File.WriteAllText(_temp.Combine("admin-token"), "gty_topsecret");
        Directory.CreateDirectory(_temp.Combine("outside-dir"));
        File.WriteAllText(_temp.Combine("outside-dir", "Dockerfile"), "FROM scratch\n");
    }

    private string Bundle => _temp.Combine("bundle");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resolve_ChainedLinksClimbingOut_Outside()
    {
        File.CreateSymbolicLink(Path.Combine(Bundle, "a"), ".");

        var resolution = BundlePath.Resolve(Bundle, "a/a/../../admin-token");

        Assert.False(resolution.IsInside);
        Assert.Contains("outside the project directory", resolution.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LinksThatStayInside_RealPath()
    {
        Directory.CreateDirectory(Path.Combine(Bundle, "sub"));
        File.WriteAllText(Path.Combine(Bundle, "sub", "f"), "x");
        File.CreateSymbolicLink(Path.Combine(Bundle, "a"), ".");
        File.CreateSymbolicLink(Path.Combine(Bundle, "s"), "a/sub");

        Assert.Equal(Path.Combine(Bundle, "sub", "f"), BundlePath.Resolve(Bundle, "a/a/s/f").RealPath);
        Assert.Equal(Path.Combine(Bundle, "sub", "f"), BundlePath.Resolve(Bundle, Path.Combine(Bundle, "s", "..", "sub", "f")).RealPath);
    }

    [Fact]
    public void Resolve_LinkLoop_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(Bundle, "x"), "y");
        File.CreateSymbolicLink(Path.Combine(Bundle, "y"), "x");

        Assert.Contains("link loop", BundlePath.Resolve(Bundle, "x/f").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AbsolutePathElsewhere_Outside() =>
        Assert.False(BundlePath.Resolve(Bundle, "/etc/passwd").IsInside);

    [Fact]
    public void ReadText_LinkToAFileOutside_Null()
    {
        File.CreateSymbolicLink(Path.Combine(Bundle, "token"), "../admin-token");

        Assert.Null(BundlePath.ReadText(Bundle, Path.Combine(Bundle, "token")));
        Assert.Equal("gty_topsecret", File.ReadAllText(Path.Combine(Bundle, "token")));
    }

    [Theory]
    [InlineData("secrets")]
    [InlineData("configs")]
    public void Prepare_FileThroughLinkOutside_RefusedWithoutItsContent(string kind)
    {
        File.CreateSymbolicLink(Path.Combine(Bundle, "tok"), "../admin-token");
        var item = new FileObjectSpec("tok") { File = Path.Combine(Bundle, "tok") };
        var reference = new FileReferenceSpec("tok", "/run/tok");
        var app = new AppSpec
        {
            Name = "web",
            Services = [kind == "secrets" ? new ServiceSpec { Name = "api", Secrets = [reference] } : new ServiceSpec { Name = "api", Configs = [reference] }],
            Secrets = kind == "secrets" ? [item] : [],
            Configs = kind == "configs" ? [item] : [],
        };

        var (_, errors, _) = FileObjects.Prepare(app, Bundle, "compose.yaml");

        var error = Assert.Single(errors);
        Assert.Equal($"{kind}.tok.file", error.Path);
        Assert.Contains("outside the project directory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gty_topsecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_FileThroughLinkInside_PinnedToTheRealPath()
    {
        File.WriteAllText(Path.Combine(Bundle, "real.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(Bundle, "alias.txt"), "real.txt");
        var app = new AppSpec
        {
            Name = "web",
            Services = [new ServiceSpec { Name = "api", Secrets = [new FileReferenceSpec("s", "/run/s")] }],
            Secrets = [new FileObjectSpec("s") { File = Path.Combine(Bundle, "alias.txt") }],
        };

        var (prepared, errors, _) = FileObjects.Prepare(app, Bundle, "compose.yaml");

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(Bundle, "real.txt"), prepared.Secrets[0].File);
    }

    [Fact]
    public void Prepare_InlineContent_WrittenBesideTheBundleNamedByItsHash()
    {
        var app = new AppSpec
        {
            Name = "web",
            Services = [new ServiceSpec { Name = "api", Configs = [new FileReferenceSpec("c", "/etc/c")] }],
            Configs = [new FileObjectSpec("c") { Content = "hello" }],
        };

        var (prepared, errors, _) = FileObjects.Prepare(app, Bundle, "compose.yaml");

        Assert.Empty(errors);
        var file = prepared.Configs[0].File!;
        Assert.StartsWith(BundleStore.InlineDirectoryOf(Bundle) + "/", file, StringComparison.Ordinal);
        Assert.Equal("hello", File.ReadAllText(file));
        Assert.Empty(Directory.GetFileSystemEntries(Bundle));
    }

    [Fact]
    public void Load_EnvFileThroughLinkOutside_NotRead()
    {
        File.WriteAllText(_temp.Combine("outside.env"), "LEAKED=gty_topsecret\n");
        File.CreateSymbolicLink(Path.Combine(Bundle, "app.env"), "../outside.env");
        File.WriteAllText(Path.Combine(Bundle, "compose.yaml"), "services:\n  web:\n    image: busybox:1\n    env_file: ./app.env\n");

        var result = ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Path.Combine(Bundle, "compose.yaml"))],
            WorkingDirectory = Bundle,
            ProjectName = "web",
            ReadFile = path => BundlePath.ReadText(Bundle, path),
        });

        Assert.Null(result.App);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("app.env", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("gty_topsecret", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_BuildContextThroughLinkOutside_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(Bundle, "ctx"), "../outside-dir");
        var app = new AppSpec { Name = "web", Services = [new ServiceSpec { Name = "api", Build = new BuildSpec(Path.Combine(Bundle, "ctx")) }] };

        var (_, errors) = BuildContexts.Resolve(app, Bundle, "compose.yaml");

        var error = Assert.Single(errors);
        Assert.Equal("services.api.build.context", error.Path);
        Assert.Contains("outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BuildContextThroughLinkInside_PinnedToTheRealDirectory()
    {
        Directory.CreateDirectory(Path.Combine(Bundle, "src", "api"));
        File.CreateSymbolicLink(Path.Combine(Bundle, "api"), "src/api");
        var app = new AppSpec { Name = "web", Services = [new ServiceSpec { Name = "api", Build = new BuildSpec(Path.Combine(Bundle, "api")) }] };

        var (resolved, errors) = BuildContexts.Resolve(app, Bundle, "compose.yaml");

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(Bundle, "src", "api"), resolved.Services[0].Build!.Context);
    }
}
