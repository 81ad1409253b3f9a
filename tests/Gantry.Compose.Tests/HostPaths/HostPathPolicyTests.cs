using Gantry.Compose.HostPaths;
using Gantry.Model;

namespace Gantry.Compose.Tests.HostPaths;

/// <summary>
/// Host access is a policy, closed by default: every key that names a host path must stay inside the project
/// directory (symbolic links resolved) unless an admin allows the path; the Docker socket and / only by exact path.
/// </summary>
public sealed class HostPathPolicyTests : IDisposable
{
    private const string Flag = "gantry server --allow-host-path";
    private const string HostSecret = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";

    private readonly TempProject _project = new();

    // A directory outside the project, standing in for the rest of the host (a key file, /etc, another app's data).
    private readonly TempProject _host = new();

    public void Dispose()
    {
        _project.Dispose();
        _host.Dispose();
    }

    private ComposeLoadResult Load(string compose, HostPathPolicy? policy = null)
    {
        _project.Write("compose.yaml", compose);
        return LoadWritten(policy);
    }

    // As the server loads a bundle: the project directory is the working directory and files are named relative to it.
    private ComposeLoadResult LoadWritten(HostPathPolicy? policy = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Files = [new ComposeSource("compose.yaml")],
            WorkingDirectory = _project.Dir,
            ProjectName = "app",
            HostPaths = policy ?? HostPathPolicy.ProjectOnly,
        });

    private static string Service(string body) =>
        "services:\n  web:\n    image: nginx:1.27\n" + string.Join("\n", body.Split('\n').Select(l => "    " + l)) + "\n";

    private static ComposeDiagnostic Refused(ComposeLoadResult result) => TestLoad.SingleError(result);

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/var/run/docker.sock")]
    [InlineData("/run/docker.sock")]
    [InlineData("/var/run")]
    public void Load_BindOfHostPath_IsRefusedWithTheFlag(string source)
    {
        var error = Refused(Load(Service($"volumes:\n  - {source}:/host")));

        Assert.Equal("services.web.volumes[0]", error.Path);
        Assert.Equal(("compose.yaml", 5, 9), (error.File, error.Line, error.Column));
        Assert.Contains($"'{source}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Flag} {source}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BindOfDockerSocket_SaysItIsRootOnTheHost()
    {
        var error = Refused(Load(Service("volumes:\n  - type: bind\n    source: /var/run/docker.sock\n    target: /var/run/docker.sock")));

        Assert.Equal("services.web.volumes[0].source", error.Path);
        Assert.Contains("Docker socket", error.Message, StringComparison.Ordinal);
        Assert.Contains("root on the host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BindOfRoot_SaysItIsTheHostsRoot() =>
        Assert.Contains("host's root directory", Refused(Load(Service("volumes:\n  - /:/host"))).Message, StringComparison.Ordinal);

    [Fact]
    public void Load_RefusedBind_DiagnosticNamesFileLineKeyPathAndFlag()
    {
        var error = Refused(Load(Service("volumes:\n  - ./data:/data\n  - /etc:/host-etc:ro")));

        Assert.Equal(
            "compose.yaml:6:9: services.web.volumes[1]: bind mount source '/etc' is outside the project directory: a deploy may only use host paths " +
            $"inside its uploaded project; move it into the project, or have an admin allow it on the server ({Flag} /etc)",
            error.ToString());
    }

    [Fact]
    public void Load_RelativeBindEscapingWithDotDot_IsRefused()
    {
        var error = Refused(Load(Service("volumes:\n  - ../../etc:/host-etc")));

        Assert.Contains("bind mount source '../../etc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RelativeBindInsideTheProject_Loads()
    {
        var web = TestLoadApp(Load(Service("volumes:\n  - ./data:/data\n  - type: bind\n    source: ./conf/nginx.conf\n    target: /etc/nginx/nginx.conf\n  - .:/src")));

        Assert.Equal([Path.Combine(_project.Dir, "data"), Path.Combine(_project.Dir, "conf", "nginx.conf"), _project.Dir], web.Volumes.Select(v => v.Source));
    }

    [Fact]
    public void Load_SymlinkInsideTheProjectPointingOutside_IsRefusedByItsTarget()
    {
        _project.Link("data", _host.Dir);

        var error = Refused(Load(Service("volumes:\n  - ./data/sub:/data")));

        Assert.Contains($"resolves to '{Path.Combine(_host.Dir, "sub")}' through a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Flag} {Path.Combine(_host.Dir, "sub")}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SymlinkLoop_IsRefusedNotFollowedForever()
    {
        _project.Link("a", "b");
        _project.Link("b", "a");

        Assert.Contains("more than 40 symbolic links", Refused(Load(Service("volumes:\n  - ./a/x:/data"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SymlinkInsideTheProjectPointingInside_Loads()
    {
        Directory.CreateDirectory(Path.Combine(_project.Dir, "real"));
        _project.Link("alias", "real");

        var web = TestLoadApp(Load(Service("volumes:\n  - ./alias:/data")));

        Assert.Equal(Path.Combine(_project.Dir, "alias"), web.Volumes[0].Source);
    }

    [Fact]
    public void Load_EnvFileOutside_IsRefusedWithoutReadingIt()
    {
        var key = _host.Write("signing.key", $"-----BEGIN PRIVATE KEY-----\n{HostSecret}\n-----END PRIVATE KEY-----\n");

        var result = Load(Service($"env_file: {key}"));

        var error = Refused(result);
        Assert.Equal("services.web.env_file", error.Path);
        Assert.Contains($"env_file '{key}' is outside the project directory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("PRIVATE", StringComparison.Ordinal) || d.Message.Contains(HostSecret[..12], StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EnvFileLinkedToAHostFile_IsRefusedWithoutReadingIt()
    {
        var key = _host.Write("signing.key", $"-----BEGIN PRIVATE KEY-----\n{HostSecret}\n");
        _project.Link("app.env", key);

        var result = Load(Service("env_file:\n  - path: ./app.env\n    required: false"));

        Assert.Equal("services.web.env_file[0]", Refused(result).Path);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains(HostSecret[..12], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("none", "bind", "/etc")]
    [InlineData("ext4", "rw", "/dev/sda1")]
    public void Load_LocalVolumeDeviceOnTheHost_IsRefused(string type, string o, string device)
    {
        var error = Refused(Load($"services:\n  web:\n    image: nginx:1.27\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts:\n      type: {type}\n      o: {o}\n      device: {device}\n"));

        Assert.Equal(("volumes.data.driver_opts.device", 10), (error.Path, error.Line));
        Assert.Contains($"volume device '{device}' is outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NfsVolumeDevice_IsNotAHostPath()
    {
        var result = Load("services:\n  web:\n    image: nginx:1.27\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts:\n      type: nfs\n      o: addr=10.0.0.5,rw\n      device: \":/export/data\"\n");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void Load_BuildContextOutside_IsRefused()
    {
        var error = Refused(Load(Service($"build:\n  context: {_host.Dir}")));

        Assert.Equal("services.web.build.context", error.Path);
        Assert.Contains("build context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShortBuildContextEscaping_IsRefused() =>
        Assert.Equal("services.web.build", Refused(Load(Service("build: ../.."))).Path);

    [Fact]
    public void Load_DockerfileOutside_IsRefused()
    {
        var error = Refused(Load(Service("build:\n  context: ./web\n  dockerfile: ../../elsewhere/Dockerfile")));

        Assert.Equal("services.web.build.dockerfile", error.Path);
        Assert.Contains("dockerfile '../../elsewhere/Dockerfile'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secrets")]
    [InlineData("configs")]
    public void Load_SecretOrConfigFileOutside_IsRefused(string section)
    {
        var file = _host.Write("token", "s3cr3t");

        var error = Refused(Load($"services:\n  web:\n    image: nginx:1.27\n    {section}: [token]\n{section}:\n  token:\n    file: {file}\n"));

        Assert.Equal($"{section}.token.file", error.Path);
        Assert.Equal(7, error.Line);
        Assert.Contains($"{section.TrimEnd('s')} file '{file}' is outside the project directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExtendsFileOutside_IsRefusedBeforeItIsRead()
    {
        // Not YAML: were it read, the parse error would be reported (and could quote it).
        var other = _host.Write("base.yaml", $"{HostSecret}: [\n");

        var result = Load($"services:\n  web:\n    extends:\n      file: {other}\n      service: base\n");

        var error = Refused(result);
        Assert.Equal("services.web.extends.file", error.Path);
        Assert.Contains("extends file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("invalid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_IncludeOutside_IsRefusedBeforeItIsRead()
    {
        var other = _host.Write("compose.yaml", $"{HostSecret}: [\n");

        var result = Load($"include:\n  - {other}\nservices:\n  web:\n    image: nginx:1.27\n");

        var error = Refused(result);
        Assert.Equal(("include[0]", 2), (error.Path, error.Line));
        Assert.Contains($"included file '{other}' is outside the project directory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("invalid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_IncludeProjectDirectoryOutside_IsRefused()
    {
        _project.Write("inc/compose.yaml", "services:\n  db:\n    image: postgres:16\n");

        var error = Refused(Load($"include:\n  - path: inc/compose.yaml\n    project_directory: {_host.Dir}\nservices:\n  web:\n    image: nginx:1.27\n"));

        Assert.Equal("include[0].project_directory", error.Path);
    }

    [Fact]
    public void Load_ComposeFileLinkedOutside_IsRefusedBeforeItIsRead()
    {
        var hostFile = _host.Write("shadow", $"{HostSecret}: [\n");
        _project.Link("compose.yaml", hostFile);

        var result = LoadWritten();

        var error = Refused(result);
        Assert.Contains("compose file 'compose.yaml'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("invalid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ProjectDotEnvLinkedOutside_IsRefused()
    {
        _project.Link(".env", _host.Write("secrets.env", "DB_PASSWORD=hunter2\n"));

        var error = Refused(Load(Service("environment:\n  DB: ${DB_PASSWORD:-none}")));

        Assert.Equal(".env", error.File);
        Assert.Contains("project .env file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PathInsideAnAllowedDirectory_Loads()
    {
        var policy = new HostPathPolicy { AllowedPaths = ["/srv/backups"] };

        var web = TestLoadApp(Load(Service("volumes:\n  - /srv/backups/db:/backups\n  - /srv/backups:/all:ro"), policy));

        Assert.Equal(["/srv/backups/db", "/srv/backups"], web.Volumes.Select(v => v.Source));
    }

    [Fact]
    public void Load_PathBesideAnAllowedDirectory_IsRefused()
    {
        var policy = new HostPathPolicy { AllowedPaths = ["/srv/backups"] };

        Assert.Contains("/srv/backups-old", Refused(Load(Service("volumes:\n  - /srv/backups-old:/b"), policy)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvFileInAnAllowedDirectory_IsRead()
    {
        var file = _host.Write("shared.env", "REGION=eu-1\n");

        var web = TestLoadApp(Load(Service($"env_file: {file}"), new HostPathPolicy { AllowedPaths = [_host.Dir] }));

        Assert.Equal("eu-1", web.Environment["REGION"]);
    }

    [Theory]
    [InlineData("/var", "/var/run/docker.sock")]
    [InlineData("/run", "/run/docker.sock")]
    [InlineData("/var", "/var/run")]
    [InlineData("/srv/x", "/")]
    public void Load_SocketOrRootUnderABroaderAllowance_IsStillRefused(string allowed, string source)
    {
        var error = Refused(Load(Service($"volumes:\n  - {source}:/host"), new HostPathPolicy { AllowedPaths = [allowed] }));

        Assert.Contains($"{Flag} {source}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/var/run/docker.sock", "/var/run/docker.sock")]
    [InlineData("/run/docker.sock", "/var/run/docker.sock")]
    [InlineData("/", "/")]
    public void Load_SocketOrRootAllowedByExactPath_Loads(string allowed, string source)
    {
        var web = TestLoadApp(Load(Service($"volumes:\n  - {source}:/host:ro"), new HostPathPolicy { AllowedPaths = [allowed] }));

        Assert.Equal(source, web.Volumes[0].Source);
    }

    [Fact]
    public void Load_UnrestrictedPolicy_AcceptsHostPaths()
    {
        var web = TestLoadApp(Load(Service("volumes:\n  - /etc:/host-etc:ro\n  - /var/run/docker.sock:/var/run/docker.sock"), HostPathPolicy.Unrestricted));

        Assert.Equal(2, web.Volumes.Count);
    }

    [Fact]
    public void Load_EveryRefusal_IsReportedAtOnce()
    {
        var result = Load(Service($"volumes:\n  - /:/a\n  - /etc:/b\nenv_file: /etc/environment\nbuild: {_host.Dir}"));

        Assert.Equal(["services.web.build", "services.web.env_file", "services.web.volumes[0]", "services.web.volumes[1]"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    private static ServiceSpec TestLoadApp(ComposeLoadResult result)
    {
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.App!.FindService("web")!;
    }
}
