using Gantry.Model.Environments;
using Gantry.Server.Environments;

namespace Gantry.Server.Tests.Environments;

public sealed class EnvironmentEditsTests
{
    private static readonly EnvironmentRecord s_empty = new() { App = "hello", Name = "staging" };

    [Fact]
    public void ChangeVariables_SetAndUnset_ChangesOnlyThose()
    {
        var (record, errors) = EnvironmentEdits.ChangeVariables(s_empty, new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" }, []);
        (record, errors) = EnvironmentEdits.ChangeVariables(record, new Dictionary<string, string> { ["A"] = "3" }, ["B"]);

        Assert.Empty(errors);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "3" }, record.Variables);
    }

    [Fact]
    public void ChangeVariables_BadNamesAndUnknownUnset_ReportsEveryOneAndChangesNothing()
    {
        var (record, errors) = EnvironmentEdits.ChangeVariables(s_empty, new Dictionary<string, string> { ["1A"] = "x", ["OK"] = "y" }, ["GONE", "a-b"]);

        Assert.Same(s_empty, record);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("'1A' is not a variable name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'a-b' is not a variable name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'GONE' is not set in staging", StringComparison.Ordinal));
    }

    [Fact]
    public void AddSecretVersion_NumbersGrowAndOldVersionsAreKept()
    {
        var now = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var (record, v1) = EnvironmentEdits.AddSecretVersion(s_empty, "db", v => $"sealed-{v}", now, "ann");
        (record, var v2) = EnvironmentEdits.AddSecretVersion(record, "db", v => $"sealed-{v}", now, "bob");

        Assert.Equal(1, v1);
        Assert.Equal(2, v2);
        Assert.Equal(["sealed-1", "sealed-2"], record.Secrets["db"].Select(v => v.Sealed));
        Assert.Equal(2, EnvironmentEdits.Newest(record, "db")!.Version);
        Assert.Null(EnvironmentEdits.Newest(record, "other"));
    }

    [Theory]
    [InlineData("db_password", null)]
    [InlineData("tls.key", null)]
    [InlineData("-x", "is not a secret name")]
    [InlineData("a/b", "is not a secret name")]
    public void CheckSecretName_ComposeKeys_AreTaken(string name, string? error)
    {
        var result = EnvironmentEdits.CheckSecretName(name);

        if (error is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Contains(error, result);
        }
    }

    [Fact]
    public void CheckSecretValue_EmptyOrTooBig_SaysWhatToDo()
    {
        Assert.Contains("pipe the value", EnvironmentEdits.CheckSecretValue("db", 0));
        Assert.Contains("at most", EnvironmentEdits.CheckSecretValue("db", EnvironmentEdits.MaxSecretBytes + 1));
        Assert.Null(EnvironmentEdits.CheckSecretValue("db", 10));
    }
}

public sealed class PushOptionsEnvironmentTests
{
    [Fact]
    public void Parse_Env_IsTakenAndABadOneNamed()
    {
        Assert.Equal("production", Gantry.Server.Git.PushOptions.Parse(["env=production", "async"], out _)!.Environment);
        Assert.Null(Gantry.Server.Git.PushOptions.Parse(["env=Prod-1"], out var error));
        Assert.Contains("'env=Prod-1' does not name a valid environment", error);
    }
}
