using Gantry.Compose.Interpolation;

namespace Gantry.Compose.Tests.Interpolation;

public sealed class InterpolatorTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["SET"] = "value",
        ["EMPTY"] = "",
        ["OTHER"] = "other",
    };

    [Theory]
    [InlineData("${SET}", "value")]
    [InlineData("$SET", "value")]
    [InlineData("$SET/suffix", "value/suffix")]
    [InlineData("pre-${SET}-post", "pre-value-post")]
    [InlineData("${UNSET}", "")]
    [InlineData("${UNSET:-default}", "default")]
    [InlineData("${EMPTY:-default}", "default")]
    [InlineData("${EMPTY-default}", "")]
    [InlineData("${UNSET-default}", "default")]
    [InlineData("${SET:-default}", "value")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET+alt}", "")]
    [InlineData("${UNSET:-${OTHER}}", "other")]
    [InlineData("${UNSET:-${ALSO_UNSET:-deep}}", "deep")]
    [InlineData("${UNSET:-a{b}c}", "a{b}c")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("a $$ b", "a $ b")]
    [InlineData("${SET:?must be set}", "value")]
    [InlineData("${EMPTY?must be set}", "")]
    [InlineData("no variables", "no variables")]
    public void Interpolate_Expression_GivesComposeResult(string input, string expected)
    {
        var outcome = Interpolator.Interpolate(input, name => Env.GetValueOrDefault(name));
        Assert.Null(outcome.Error);
        Assert.Equal(expected, outcome.Value);
    }

    [Theory]
    [InlineData("${UNSET:?set UNSET to the password}", "required variable UNSET is missing a value: set UNSET to the password")]
    [InlineData("${EMPTY:?}", "required variable EMPTY is missing a value: is unset or empty")]
    [InlineData("${UNSET?}", "required variable UNSET is missing a value: is unset")]
    [InlineData("${SET", "missing closing '}'")]
    [InlineData("${}", "must be followed by a variable name")]
    [InlineData("${SET!x}", "unexpected character")]
    [InlineData("cost $5", "'$5' is not a variable")]
    [InlineData("end$", "a lone '$'")]
    public void Interpolate_BadOrMissing_ReportsError(string input, string expected)
    {
        var outcome = Interpolator.Interpolate(input, name => Env.GetValueOrDefault(name));
        Assert.NotNull(outcome.Error);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReferencedVariables_ListsEveryLookedUpName()
    {
        var result = TestLoad.Text("""
            services:
              web:
                image: "nginx:${TAG:-latest}"
                environment:
                  - PLAIN=$$NOT_A_VAR
                  - FROM_SHELL
                  - NESTED=${A:-${B}}
            """, new Dictionary<string, string> { ["TAG"] = "1.25", ["FROM_SHELL"] = "x", ["UNRELATED"] = "secret" });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["A", "B", "FROM_SHELL", "TAG"], result.ReferencedVariables.Order(StringComparer.Ordinal));
        var web = result.App!.Services[0];
        Assert.Equal("nginx:1.25", web.Image);
        Assert.Equal("$NOT_A_VAR", web.Environment["PLAIN"]);
        Assert.Equal("x", web.Environment["FROM_SHELL"]);
    }

    [Fact]
    public void Load_DotEnvInWorkingDirectory_SitsUnderCallerEnvironment()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gantry-compose-tests", "dotenv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, ".env"), "TAG=from-dotenv\nPORT=8080\n# comment\nexport HOST_IP=127.0.0.1\n");
            File.WriteAllText(Path.Combine(dir, "compose.yaml"), "services:\n  web:\n    image: nginx:${TAG}\n    ports: [\"${HOST_IP}:${PORT}:80\"]\n");
            var result = ComposeLoader.Load(new ComposeLoadOptions
            {
                Files = [new ComposeSource(Path.Combine(dir, "compose.yaml"))],
                Environment = new Dictionary<string, string> { ["TAG"] = "from-shell" },
            });
            Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
            var web = result.App!.Services[0];
            Assert.Equal("nginx:from-shell", web.Image);
            Assert.Equal(new Gantry.Model.PortSpec(80, "8080", "tcp", "127.0.0.1"), web.Ports[0]);
            Assert.StartsWith("dotenv-", result.App.Name, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
