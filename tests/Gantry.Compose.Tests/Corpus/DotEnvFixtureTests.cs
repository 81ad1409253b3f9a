using Gantry.Compose.DotEnv;
using Gantry.Compose.HostPaths;

namespace Gantry.Compose.Tests.Corpus;

/// <summary>compose-go's dotenv fixtures, with the values compose-go's own tests expect.</summary>
public sealed class DotEnvFixtureTests
{
    private static DotEnvResult Parse(string fixture, Dictionary<string, string>? env = null) =>
        DotEnvParser.Parse(File.ReadAllText(CorpusPaths.ComposeGo("dotenv", "fixtures", fixture)), name => env?.GetValueOrDefault(name));

    private static void AssertValues(DotEnvResult result, params (string Key, string Value)[] expected)
    {
        Assert.Empty(result.Errors);
        var values = result.ToDictionary();
        foreach (var (key, value) in expected)
        {
            Assert.True(values.ContainsKey(key), "missing " + key);
            Assert.Equal(value, values[key]);
        }
        Assert.Equal(expected.Length, values.Count);
    }

    [Theory]
    [InlineData("plain.env")]
    [InlineData("utf8-bom.env")]
    public void Parse_PlainFixture_TrimsSpacesAndInlineComments(string fixture) =>
        AssertValues(Parse(fixture), ("OPTION_A", "1"), ("OPTION_B", "2"), ("OPTION_C", "3"), ("OPTION_D", "4"), ("OPTION_E", "5"),
            ("456", "ABC"), ("OPTION_F", ""), ("OPTION_G", ""), ("OPTION_H", "my string"));

    [Fact]
    public void Parse_QuotedFixture_HandlesQuotesEscapesAndMultiLineValues() =>
        AssertValues(Parse("quoted.env"),
            ("OPTION_A", "1"), ("OPTION_B", "2"), ("OPTION_C", ""), ("OPTION_D", "\\n"), ("OPTION_E", "1"), ("OPTION_F", "2"),
            ("OPTION_G", ""), ("OPTION_H", "\n"), ("OPTION_I", "echo 'asd'"), ("OPTION_J", "first line\nsecond line\nthird line\nand so on"),
            ("OPTION_K", "Let\\'s go!"), ("OPTION_Z", "last value"));

    [Fact]
    public void Parse_ExportedFixture_StripsExport() =>
        AssertValues(Parse("exported.env"), ("OPTION_A", "2"), ("OPTION_B", "\\n"));

    [Fact]
    public void Parse_EqualsFixture_KeepsEqualsInValue() =>
        AssertValues(Parse("equals.env"), ("OPTION_A", "postgres://localhost:5432/database?sslmode=disable"));

    [Fact]
    public void Parse_UnquotedFixture_KeepsInnerSpacesAndUnicode() =>
        AssertValues(Parse("unquoted.env"),
            ("OPTION_A", "some quoted phrase"), ("OPTION_B", "first one with an unquoted phrase"),
            ("OPTION_C", "then another one with an unquoted phrase"), ("OPTION_D", "then another one with an unquoted phrase special è char"),
            ("OPTION_E", "then another one quoted phrase"));

    [Theory]
    [InlineData("substitutions.env")]
    [InlineData("substitutions-default.env")]
    public void Parse_SubstitutionFixtures_ExpandEarlierValues(string fixture) =>
        AssertValues(Parse(fixture), ("OPTION_A", "1"), ("OPTION_B", "1"), ("OPTION_C", "1"), ("OPTION_D", "1_1"), ("OPTION_E", ""));

    [Fact]
    public void Parse_SpecialFixture_AllowsDotsAndDashesInNames() =>
        AssertValues(Parse("special.env"), ("VAR.WITH.DOTS", "dots"), ("VAR_WITH_UNDERSCORES", "underscores"), ("VAR-WITH-DASHES", "dashes"));

    [Fact]
    public void Parse_CustomFormatFixture_AcceptsYamlStyleColons() =>
        AssertValues(Parse("custom.format"), ("FOO", "BAR"), ("ZOT", "QIX"));

    [Fact]
    public void Parse_InheritedFixtures_TakeBareKeysFromTheEnvironment()
    {
        var env = new Dictionary<string, string> { ["VAR_TO_BE_LOADED_FROM_OS_ENV"] = "SOME_RANDOM_VALUE" };
        AssertValues(Parse("inherited-single-var.env", env), ("VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"));
        AssertValues(Parse("inherited-multi-var.env", env), ("foo", "bar"), ("VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"), ("bar", "baz"));
        AssertValues(Parse("inherited-not-found.env"));
    }

    [Fact]
    public void Parse_InvalidFixture_ReportsTheBadLine()
    {
        var result = Parse("invalid1.env");
        var error = Assert.Single(result.Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("INVALID LINE", error.Message, StringComparison.Ordinal);
        Assert.Equal("\n  a\n  multine\n  value\n", result.ToDictionary()["foo"]);
    }

    [Fact]
    public void Load_EnvFilesFromTypesFixtures_LaterFileWinsAndEachInterpolatesItsOwnValues()
    {
        var dir = CorpusPaths.ComposeGo("types", "fixtures");
        var app = TestLoad.App($"""
            services:
              web:
                image: nginx
                env_file: ["{dir}/base.env", "{dir}/override.env"]
            """, hostPaths: new HostPathPolicy { AllowedPaths = [dir] });
        var env = app.Services[0].Environment;
        Assert.Equal("foo_from_override.env", env["FOO"]);
        Assert.Equal("foo_from_override.env", env["INTERPOLATED_FOO"]);
        Assert.Equal("bar_from_override.env", env["BAR"]);
        Assert.Equal("bar_from_override.env", env["INTERPOLATED_BAR"]);
        Assert.Equal("zot_from_base.env", env["ZOT"]);
        Assert.Equal("zot_from_base.env", env["INTERPOLATED_ZOT"]);
    }
}
