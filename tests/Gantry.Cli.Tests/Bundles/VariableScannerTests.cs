using Gantry.Cli.Bundles;
using Gantry.Cli.Tests.Support;

namespace Gantry.Cli.Tests.Bundles;

public sealed class VariableScannerTests
{
    [Theory]
    [InlineData("image: $IMAGE", "IMAGE")]
    [InlineData("image: ${IMAGE}", "IMAGE")]
    [InlineData("image: repo/${NAME}:$TAG-suffix", "NAME,TAG")]
    [InlineData("cmd: echo $$HOME and $${NOT_ME}", "")]
    [InlineData("cmd: $$$REAL", "REAL")]
    [InlineData("port: ${PORT:-8080}", "PORT")]
    [InlineData("port: ${PORT-8080}", "PORT")]
    [InlineData("x: ${A:-${B:-$C}}", "A,B,C")]
    [InlineData("x: ${A:?need $HINT}", "A,HINT")]
    [InlineData("x: ${A?missing}", "A")]
    [InlineData("x: ${A:+${B}}", "A,B")]
    [InlineData("x: ${A+alt}", "A")]
    [InlineData("x: $1 $ ${ } ${9X}", "")]
    [InlineData("x: ${UNTERMINATED", "")]
    [InlineData("x: $_under_score9 ${lower_case}", "_under_score9,lower_case")]
    public void Scan_ComposeGrammar_FindsReferencedNames(string text, string expected)
    {
        var names = VariableScanner.Scan(text);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScanDotEnv_KeysAndReferences_SkipsCommentsAndSingleQuotedValues()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);

        VariableScanner.ScanDotEnv("# comment\nexport TAG=1.2\nURL=http://${HOST}:$PORT\nLITERAL='$NOT_THIS'\n\nBAD-KEY=1\n", names);

        Assert.Equal(["HOST", "LITERAL", "PORT", "TAG", "URL"], names);
    }

    [Fact]
    public void Collect_ReferencedNamesOnly_SendsOnlyThoseSetInTheEnvironment()
    {
        using var h = new CliHarness();
        h.WriteFile("compose.yaml", "services:\n  web:\n    image: web:${TAG}\n    environment:\n      DB: ${DB_URL:-sqlite}\n");
        h.WriteFile("nested/one/two/extra.yml", "x: $DEEP3");
        h.WriteFile("nested/one/two/three/too-deep.yml", "x: $DEEP4");
        h.WriteFile("notes.txt", "$NOT_YAML");
        h.WriteFile(".env", "FROM_DOTENV=1\n");
        var bundle = BundleRoot.Resolve(["compose.yaml"], h.WorkingDirectory);
        var entries = BundleWriter.List(bundle.Root, IgnoreRules.Default);
        var environment = new Dictionary<string, string>
        {
            ["TAG"] = "v2", ["DEEP3"] = "d", ["DEEP4"] = "no", ["FROM_DOTENV"] = "shell", ["NOT_YAML"] = "no", ["AWS_SECRET_ACCESS_KEY"] = "never",
        };

        var names = VariableCollector.ReferencedNames(bundle, entries);
        var variables = VariableCollector.Collect(names, environment.GetValueOrDefault);

        Assert.Equal(["DB_URL", "DEEP3", "FROM_DOTENV", "TAG"], names);
        Assert.Equal(new Dictionary<string, string> { ["DEEP3"] = "d", ["FROM_DOTENV"] = "shell", ["TAG"] = "v2" }, variables);
    }
}
