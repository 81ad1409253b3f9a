namespace Gantry.Compose.Tests.Validation;

public sealed class ProjectAndWarningTests
{
    [Fact]
    public void Load_NoNameAnywhere_NormalisesTheDirectoryName()
    {
        using var project = new TempProject();
        var dir = Path.Combine(project.Dir, "My Shop.v2");
        project.Write(Path.Combine("My Shop.v2", "compose.yaml"), "services:\n  web:\n    image: a\n");
        var result = ComposeLoader.Load(new ComposeLoadOptions { Files = [new ComposeSource(Path.Combine(dir, "compose.yaml"))] });
        Assert.Equal("myshopv2", result.App!.Name);
    }

    [Fact]
    public void Load_ComposeEnvironmentVariables_SetProjectNameAndProfiles()
    {
        var result = TestLoad.Text("name: fromfile\nservices:\n  web: {image: a}\n  dbg: {image: b, profiles: [debug]}\n",
            new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = "fromenv", ["COMPOSE_PROFILES"] = "debug, other" }, name: null);
        Assert.Equal("fromenv", result.App!.Name);
        Assert.Equal(["dbg", "web"], result.App.Services.Select(s => s.Name));
    }

    [Fact]
    public void Load_TopLevelTypo_SuggestsServices()
    {
        var error = TestLoad.SingleError(TestLoad.Text("service:\n  web:\n    image: a\nservices: {web: {image: a}}\n"));
        Assert.Equal(("service", 1, 1), (error.Path, error.Line, error.Column));
        Assert.Contains("did you mean 'services'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replicas: 3", "unknown key 'replicas' in a service: did you mean 'deploy.replicas'?")]
    [InlineData("memory: 1g", "unknown key 'memory' in a service: did you mean 'mem_limit'?")]
    [InlineData("imgae: a", "unknown key 'imgae': did you mean 'image'?")]
    [InlineData("dependson: [x]", "unknown key 'dependson': did you mean 'depends_on'?")]
    public void Load_MisplacedOrMisspeltServiceKey_SaysWhereItBelongs(string line, string message)
    {
        var error = TestLoad.SingleError(TestLoad.Text($"services:\n  web:\n    image: a\n    {line}\n"));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Load_UnsetVariable_WarnsAndBecomesEmpty()
    {
        var result = TestLoad.Text("services:\n  web:\n    image: a\n    environment:\n      URL: http://${HOST}/x\n");
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("services.web.environment.URL", 5, 12), (warning.Path, warning.Line, warning.Column));
        Assert.Contains("variable HOST is not set", warning.Message, StringComparison.Ordinal);
        Assert.Equal("http:///x", result.App!.Services[0].Environment["URL"]);
    }

    [Fact]
    public void Load_ExtensionsAtTopLevelAndInNestedObjects_AreAllowed()
    {
        var result = TestLoad.Text("x-meta: {owner: ops}\nservices:\n  web:\n    image: a\n    deploy:\n      x-note: hi\n      replicas: 2\nnetworks:\n  x-skip: {}\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.App!.Services[0].Replicas);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void ToString_Diagnostic_UsesFileLineColumnPathMessage()
    {
        var error = new ComposeDiagnostic(ComposeSeverity.Error, "compose.yaml", 12, 7, "services.web.ports[1]", "'80800' is not a valid port (1-65535)");
        Assert.Equal("compose.yaml:12:7: services.web.ports[1]: '80800' is not a valid port (1-65535)", error.ToString());
    }
}
