using Gantry.Compose.HostPaths;
using Gantry.Model;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>compose-go's loader testdata, loaded as compose-go documents: extends, include, cycles, interpolation.</summary>
public sealed class ComposeGoLoaderTests
{
    private static string Data(params string[] parts) => CorpusPaths.ComposeGo(["loader", "testdata", .. parts]);

    private static ComposeLoadResult Load(string relative, Dictionary<string, string>? env = null, string? name = "testdata") =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource(Data(relative))],
            ProjectName = name,
            Environment = env ?? [],
            // The testdata tree is the project (include and extends reach across it); the absolute binds some files use are allowed as an admin would.
            HostPaths = new HostPathPolicy { ProjectRoot = Data(), AllowedPaths = ["/opt/data", "/srv/data", "/dev/null"] },
        });

    private static AppSpec Loaded(string relative, Dictionary<string, string>? env = null)
    {
        var result = Load(relative, env);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.App!;
    }

    private static List<ComposeDiagnostic> Errors(string relative) => Load(relative).Errors.ToList();

    [Fact]
    public void Load_TopLevelName_IsTheProjectName()
    {
        var result = Load("compose-test-extends.yaml", name: null);
        Assert.Equal("compose-test-extends", result.App!.Name);
    }

    [Fact]
    public void Load_ExtendsFromOtherFile_ResolvesEnvFileRelativeToThatFile()
    {
        var result = Load("compose-test-extends.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var importer = result.App!.FindService("importer")!;
        Assert.Equal("nginx", importer.Image);
        Assert.Equal("extends", importer.Environment["SOURCE"]);
        Assert.Equal(new MountSpec(MountType.Bind, "/opt/data", "/var/lib/mysql"), importer.Volumes[0]);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("subdir/compose-test-extends-imported.yaml", warning.File);
        Assert.Equal((4, 5), (warning.Line, warning.Column));
        Assert.Contains("container_name is ignored", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtendsWithRemoteBuildContext_IsRefused()
    {
        var error = Assert.Single(Errors("compose-test-extends-with-context-url.yaml"));
        Assert.Equal("compose-test-extends-with-context-url-imported.yaml", error.File);
        Assert.Equal("services.importer-with-https-url.build.context", error.Path);
        Assert.Contains("not supported by Gantry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithVersion_WarnsAndRefusesVolumesFrom()
    {
        var result = Load("compose-test-with-version.yaml");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("version", warning.Path);
        var error = Assert.Single(result.Errors);
        Assert.Equal("services.web.volumes_from", error.Path);
        Assert.Equal((17, 5), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("compose-depends-on-cycle.yaml", "service1 -> service2 -> service3 -> service1")]
    [InlineData("compose-depends-on-profile-no-cycle.yaml", "service1 -> service2 -> service3 -> service1")]
    [InlineData("compose-depends-on-self.yaml", "service1 -> service1")]
    public void Load_DependencyCycle_NamesTheCycle(string file, string cycle)
    {
        var error = Assert.Single(Errors(file));
        Assert.Contains("dependency cycle: " + cycle, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("services.service", error.Path, StringComparison.Ordinal);
        Assert.Contains(".depends_on[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Include_AddsIncludedServicesWithTheirOwnPaths()
    {
        var app = Loaded("compose-include.yaml");
        Assert.Equal(["bar", "imported"], app.Services.Select(s => s.Name));
        Assert.Equal("BAR", app.FindService("bar")!.Environment["FOO"]);
        Assert.Equal("extends", app.FindService("imported")!.Environment["SOURCE"]);
    }

    [Fact]
    public void Load_IncludeCycle_IsReportedWithThePath()
    {
        var error = Assert.Single(Errors("compose-include-cycle.yaml"));
        Assert.Equal("include[0]", error.Path);
        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Contains("include cycle: compose-include-cycle.yaml -> compose-include-cycle.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeThenExtends_ResolvesBuildContextInTheIncludedDirectory()
    {
        var service = Loaded("combined/compose.yaml").FindService("service")!;
        Assert.Equal(Data("combined", "dir"), service.Build!.Context);
        Assert.Equal("testdata-service:latest", service.Image);
    }

    [Fact]
    public void Load_IncludeDefault_ResolvesPathsAgainstIncludedFile()
    {
        var service = Loaded("include/compose.yaml").FindService("included")!;
        Assert.Equal(Data("include"), service.Build!.Context);
        Assert.Equal(new MountSpec(MountType.Bind, Data("include"), "/mnt"), service.Volumes[0]);
    }

    [Fact]
    public void Load_IncludeWithProjectDirectory_RefusesInlineDockerfileInIncludedFile()
    {
        var error = Assert.Single(Errors("include/project-directory.yaml"));
        Assert.Equal("dir/compose.yaml", Path.GetRelativePath(Data("include"), Path.Combine(Data("include"), "..", "subdir", error.File)).Replace("../subdir/", "", StringComparison.Ordinal));
        Assert.Equal("services.service.build.dockerfile_inline", error.Path);
        Assert.Equal((4, 7), (error.Line, error.Column));
    }

    [Fact]
    public void Load_EmptyFile_ReportsNoServices()
    {
        var error = Assert.Single(Errors("empty.yaml"));
        Assert.Contains("defines no services", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtendsBase_ReportsEveryProblemAtOnce()
    {
        var errors = Errors("extends/base.yaml").Select(e => (e.Path, e.Line, e.Column)).ToList();
        Assert.Equal(
            [("services.with-port", 9, 5), ("services.nil", 25, 3)],
            errors);
    }

    [Fact]
    public void Load_ExtendsDependsOn_RefusesServiceSharingFeatures()
    {
        var paths = Errors("extends/depends_on.yaml").Select(e => e.Path).ToList();
        // network_mode service:NAME is supported (issue 16); sharing volumes or IPC with another service is not yet.
        Assert.Equal(["services.with_volumes_from.volumes_from", "services.with_ipc.ipc"], paths);
    }

    [Theory]
    [InlineData(null, "/dev/null")]
    [InlineData("/srv/data", "/srv/data")]
    public void Load_InterpolatedVolume_UsesDefaultOrEnvironment(string? source, string expected)
    {
        var env = source is null ? [] : new Dictionary<string, string> { ["SOURCE"] = source };
        var foo = Loaded("extends/interpolated.yaml", env).FindService("foo")!;
        Assert.Equal(new MountSpec(MountType.Bind, expected, "/tmp/foo") { ReadOnly = true }, foo.Volumes[0]);
    }

    [Fact]
    public void Load_NestedExtends_ResolvesContextNextToSibling() =>
        Assert.Equal(Data("extends"), Loaded("extends/nested.yaml").FindService("with-build")!.Build!.Context);

    [Fact]
    public void Load_ExtendsPorts_MapsShortPort() =>
        Assert.Equal([new PortSpec(8080, "8080")], Loaded("extends/ports.yaml").FindService("test")!.Ports);

    [Fact]
    public void Load_ExtendsWithResetTag_RemovesInheritedCommand()
    {
        var app = Loaded("extends/reset.yaml");
        Assert.Equal(["sleep", "infinity"], app.FindService("init")!.Command);
        var service = app.FindService("base")!;
        Assert.Equal("alpine:latest", service.Image);
        Assert.Null(service.Command);
    }

    [Fact]
    public void Load_ExtendsChainAcrossDirectories_FollowsEachFilesDirectory() =>
        Assert.Equal("hello-world", Loaded("extends/withdir/compose.yaml").FindService("test")!.Image);

    [Fact]
    public void Load_RemoteCompose_ReadsEnvFileAndBindsProjectDirectory()
    {
        var foo = Loaded("remote/compose.yaml").FindService("foo")!;
        Assert.Equal("BAR", foo.Environment["FOO"]);
        Assert.Equal(new MountSpec(MountType.Bind, Data("remote"), "/foo"), foo.Volumes[0]);
    }

    [Theory]
    [InlineData("remote/cycle/compose.yaml")]
    [InlineData("remote/nested/compose.yaml")]
    public void Load_RemoteExtends_IsRefusedAsNotSupported(string file)
    {
        var error = Assert.Single(Errors(file));
        Assert.Contains("remote resource, which is not supported by Gantry", error.Message, StringComparison.Ordinal);
        Assert.Equal((4, 13), (error.Line, error.Column));
    }
}
