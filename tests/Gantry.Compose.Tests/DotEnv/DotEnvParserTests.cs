using Gantry.Compose.DotEnv;

namespace Gantry.Compose.Tests.DotEnv;

public sealed class DotEnvParserTests
{
    private static string? One(string text, string key) => DotEnvParser.Parse(text, _ => null).ToDictionary().GetValueOrDefault(key);

    [Theory]
    [InlineData("FOO=bar", "FOO", "bar")]
    [InlineData("FOO =bar", "FOO", "bar")]
    [InlineData("FOO= bar", "FOO", "bar")]
    [InlineData("FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar")]
    [InlineData("FOO=\"'d'\"", "FOO", "'d'")]
    [InlineData("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar")]
    [InlineData("OPTION_A=1:B", "OPTION_A", "1:B")]
    [InlineData("export exportFoo=2", "exportFoo", "2")]
    [InlineData("exportFOO=2", "exportFOO", "2")]
    [InlineData("\texport OPTION_A=2", "OPTION_A", "2")]
    [InlineData("FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz")]
    [InlineData("FOO=bar # this is foo", "FOO", "bar")]
    [InlineData("FOO=\"bar#baz\" # comment", "FOO", "bar#baz")]
    [InlineData("FOO='bar#baz' # comment", "FOO", "bar#baz")]
    [InlineData("FOO=\"foo\\$BAR\"", "FOO", "foo$BAR")]
    [InlineData("BAR='quote $FOO'", "BAR", "quote $FOO")]
    [InlineData("FOO=pa$", "FOO", "pa$")]
    public void Parse_Line_GivesCompatibleValue(string line, string key, string expected) => Assert.Equal(expected, One(line, key));

    [Fact]
    public void Parse_CrLfLineEndings_AreTreatedAsNewlines() =>
        Assert.Equal("2", One("A=1\r\nB=2\r\n", "B"));

    [Fact]
    public void Parse_UnterminatedQuote_ReportsError()
    {
        var result = DotEnvParser.Parse("A=1\nKEY=\"value\n", _ => null);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("unterminated", error.Message, StringComparison.Ordinal);
    }
}
