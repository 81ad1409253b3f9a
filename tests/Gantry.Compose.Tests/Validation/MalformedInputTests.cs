namespace Gantry.Compose.Tests.Validation;

/// <summary>Bad input: each problem is one diagnostic with file, line, column, path and a fix.</summary>
public sealed class MalformedInputTests
{
    private static void AssertAt(ComposeDiagnostic error, int line, int column, string path, string message)
    {
        Assert.Equal(Path.Combine(TestLoad.ProjectDir, "compose.yaml"), error.File);
        Assert.Equal((line, column, path), (error.Line, error.Column, error.Path));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadYaml_ReportsParserPositionWithoutStackTrace()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx\n   ports: [\"80\"]\n"));
        Assert.Equal(ComposeSeverity.Error, error.Severity);
        Assert.Equal((4, 4), (error.Line, error.Column));
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Line:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnterminatedFlowSequence_ReportsYamlError()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: [nginx\n"));
        Assert.StartsWith("invalid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 3, error.ToString());
    }

    [Fact]
    public void Load_UnknownKey_SuggestsTheClosestKey()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx\n    enviroment:\n      A: b\n"));
        AssertAt(error, 4, 5, "services.web.enviroment", "unknown key 'enviroment': did you mean 'environment'?");
        Assert.EndsWith("compose.yaml:4:5: services.web.enviroment: unknown key 'enviroment': did you mean 'environment'?", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyFarFromAny_ListsValidKeys()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx\n    healthcheck:\n      zzzzzz: 1\n"));
        AssertAt(error, 5, 7, "services.web.healthcheck.zzzzzz", "valid keys are: disable, interval");
    }

    [Fact]
    public void Load_WrongType_SaysWhatWasExpected()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx\n    environment: 5\n"));
        AssertAt(error, 4, 18, "services.web.environment", "expected a list or a mapping, got '5'");
    }

    [Fact]
    public void Load_BadPort_NamesThePortAndRange()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: nginx\n    ports:\n      - \"8080:80\"\n      - \"80800\"\n"));
        AssertAt(error, 6, 9, "services.web.ports[1]", "'80800' is not a valid port (1-65535)");
    }

    [Fact]
    public void Load_MissingRequiredVariable_ReportsItsMessage()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n"));
        AssertAt(error, 5, 17, "services.db.environment.PASSWORD", "required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env");
    }

    [Fact]
    public void Load_MissingRequiredVariableInImageAndPort_IsReportedOnceEach()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n    ports: [\"${PORT:?set PORT}:80\"]\n");
        Assert.Equal(["required variable IMAGE is missing a value: set IMAGE", "required variable PORT is missing a value: set PORT"],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Load_DependencyCycle_PointsAtTheEdgeThatClosesIt()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: a\n    depends_on: [api]\n  api:\n    image: b\n    depends_on:\n      web:\n        condition: service_started\n"));
        AssertAt(error, 4, 18, "services.web.depends_on[0]", "dependency cycle: api -> web -> api");
    }

    [Fact]
    public void Load_DuplicateKey_IsAnError()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    image: a\n    image: b\n"));
        AssertAt(error, 4, 5, "", "duplicate key 'image' (first defined at line 3)");
    }

    [Fact]
    public void Load_UnsupportedFeature_IsAnErrorNamingIt()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  db:\n    image: a\n    volumes_from:\n      - web\n"));
        AssertAt(error, 4, 5, "services.db.volumes_from", "'volumes_from' is not supported by Gantry");
        Assert.Contains("services.db.volumes_from: 'volumes_from' is not supported by Gantry", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyProblems_AreAllReportedInFileOrder()
    {
        var result = TestLoad.Text("""
            services:
              web:
                image: nginx
                ports: ["99999:80"]
                volumes: ["data:/data"]
                networks: [back]
                depends_on: [ghost]
                healthcheck:
                  interval: soon
                mem_limit: lots
                restart: sometimes
                privileged: true
            """);
        Assert.Null(result.App);
        Assert.Equal(
            [
                (4, 13, "services.web.ports[0]"),
                (5, 15, "services.web.volumes[0]"),
                (6, 16, "services.web.networks[0]"),
                (7, 18, "services.web.depends_on[0]"),
                (9, 17, "services.web.healthcheck.interval"),
                (10, 16, "services.web.mem_limit"),
                (11, 14, "services.web.restart"),
                (12, 17, "services.web.privileged"),
            ],
            result.Errors.Select(e => (e.Line, e.Column, e.Path)));
        Assert.Contains(result.Errors, e => e.Message.Contains("add it under the top-level 'volumes:' key", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("undefined service 'ghost'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ServiceWithoutImageOrBuild_AsksForOne()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  web:\n    command: echo\n"));
        AssertAt(error, 3, 5, "services.web", "has neither 'image' nor 'build'");
    }

    [Fact]
    public void Load_InvalidServiceName_IsAnError()
    {
        var error = TestLoad.SingleError(TestLoad.Text("services:\n  \"web server\":\n    image: a\n"));
        AssertAt(error, 2, 3, "services.web server", "not a valid service name");
    }

    [Fact]
    public void Load_InvalidProjectName_IsAnError()
    {
        var result = TestLoad.Text("name: My_App\nservices:\n  web:\n    image: a\n", name: null);
        var error = TestLoad.SingleError(result);
        AssertAt(error, 1, 7, "name", "project name 'My_App' is not valid");
    }

    [Fact]
    public void Load_BadDurationAndSize_ExplainTheFormat()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: a\n    stop_grace_period: 10x\n    deploy:\n      resources:\n        limits:\n          memory: 12q\n");
        Assert.Equal(["'10x' is not a valid duration: use a number with a unit, such as 10s, 1m30s or 500ms",
            "'12q' is not a valid size: use a number of bytes with an optional unit (b, k, m, g), such as 512m or 1gb"],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Load_IgnoredKeys_AreWarningsAndTheLoadSucceeds()
    {
        var result = TestLoad.Text("version: \"3.8\"\nservices:\n  web:\n    image: a\n    container_name: my-web\n");
        Assert.True(result.Succeeded);
        Assert.Equal(["version", "services.web.container_name"], result.Warnings.Select(w => w.Path));
        Assert.Contains("Gantry names containers itself (app-service-slot-hash) so replicas can scale; container_name is ignored", result.Warnings.Last().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoFiles_IsAnErrorNotAnException()
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions { Files = [] });
        Assert.False(result.Succeeded);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_MissingFile_IsAnError()
    {
        var result = ComposeLoader.Load(new ComposeLoadOptions { Files = [new ComposeSource("/nonexistent/gantry/compose.yaml")] });
        var error = TestLoad.SingleError(result);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }
}
