using Gantry.Model;

namespace Gantry.Compose.Tests.Merge;

public sealed class ExtendsIncludeProfileTests
{
    [Fact]
    public void Load_ExtendsSameFileAndOtherFile_MergesUnderTheLocalService()
    {
        using var project = new TempProject();
        project.Write("common/base.yaml", "services:\n  base:\n    build: ./src\n    environment: {A: \"1\"}\n    volumes: [\"./cfg:/cfg\"]\n");
        project.Write("compose.yaml", """
            services:
              web:
                extends: {file: common/base.yaml, service: base}
                environment: {B: "2"}
              worker:
                extends: web
                command: work
            """);
        var result = project.Load(["compose.yaml"]);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var web = result.App!.FindService("web")!;
        Assert.Equal(Path.Combine(project.Dir, "common", "src"), web.Build!.Context);
        Assert.Equal(Path.Combine(project.Dir, "common", "cfg"), web.Volumes[0].Source);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "2" }, web.Environment);
        var worker = result.App.FindService("worker")!;
        Assert.Equal(["work"], worker.Command);
        Assert.Equal("2", worker.Environment["B"]);
    }

    [Fact]
    public void Load_ExtendsCycle_ReportsTheCyclePath()
    {
        using var project = new TempProject();
        project.Write("other.yaml", "services:\n  b:\n    extends: {file: compose.yaml, service: a}\n");
        project.Write("compose.yaml", "services:\n  a:\n    extends: {file: other.yaml, service: b}\n");
        var errors = project.Load(["compose.yaml"]).Errors.ToList();
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Message.Contains("extends cycle: a (compose.yaml) -> b (other.yaml) -> a (compose.yaml)", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ExtendsMissingService_ListsTheServicesThere()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    extends: bsae\n  base:\n    image: a\n"));
        Assert.Equal(("services.web.extends", 3, 14), (error.Path, error.Line, error.Column));
        Assert.Contains("extended service 'bsae' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Include_UsesIncludedEnvFileAndReportsConflicts()
    {
        using var project = new TempProject();
        project.Write("db/compose.yaml", "services:\n  db:\n    image: postgres:${PG_VERSION}\n    volumes: [\"./init:/docker-entrypoint-initdb.d\"]\n");
        project.Write("db/.env", "PG_VERSION=16\n");
        project.Write("compose.yaml", "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: a\n    depends_on: [db]\n");
        var result = project.Load(["compose.yaml"]);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var db = result.App!.FindService("db")!;
        Assert.Equal("postgres:16", db.Image);
        Assert.Equal(Path.Combine(project.Dir, "db", "init"), db.Volumes[0].Source);

        project.Write("clash.yaml", "include:\n  - db/compose.yaml\nservices:\n  db:\n    image: mine\n");
        var error = TestLoad.SingleError(project.Load(["clash.yaml"]));
        Assert.Equal(("services.db", 4, 3), (error.Path, error.Line, error.Column));
        Assert.Contains("defined both here and in included file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IncludeCycleThroughTwoFiles_NamesBoth()
    {
        using var project = new TempProject();
        project.Write("a.yaml", "include: [b.yaml]\nservices:\n  a: {image: a}\n");
        project.Write("b.yaml", "include: [a.yaml]\nservices:\n  b: {image: b}\n");
        var error = TestLoad.SingleError(project.Load(["a.yaml"]));
        Assert.Contains("include cycle: a.yaml -> b.yaml -> a.yaml", error.Message, StringComparison.Ordinal);
        Assert.Equal("b.yaml", error.File);
    }

    private const string ProfiledProject = """
        services:
          web:
            image: a
            depends_on:
              debug:
                condition: service_started
                required: false
          worker:
            image: b
            profiles: [jobs]
          debug:
            image: c
            profiles: [debug, dev]
        """;

    [Fact]
    public void Load_Profiles_DisableServicesUnlessEnabled()
    {
        var app = TestLoad.App(ProfiledProject);
        Assert.Equal(["web"], app.Services.Select(s => s.Name));
        Assert.Empty(app.Services[0].DependsOn);

        var withJobs = TestLoad.App(ProfiledProject, profiles: ["jobs", "dev"]);
        Assert.Equal(["debug", "web", "worker"], withJobs.Services.Select(s => s.Name));
        Assert.Equal([new DependencySpec("debug") { Required = false }], withJobs.FindService("web")!.DependsOn);
        Assert.Equal(["debug", "dev"], withJobs.FindService("debug")!.Profiles);

        Assert.Equal(3, TestLoad.App(ProfiledProject, profiles: ["*"]).Services.Count);
    }

    [Fact]
    public void Load_RequiredDependencyOnDisabledService_IsAnErrorNamingTheProfile()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: a\n    depends_on: [worker]\n  worker:\n    image: b\n    profiles: [jobs]\n"));
        Assert.Equal(("services.web.depends_on[0]", 4, 18), (error.Path, error.Line, error.Column));
        Assert.Contains("disabled by its profiles [jobs]: enable one of them (--profile jobs) or set 'required: false'", error.Message, StringComparison.Ordinal);
    }
}
