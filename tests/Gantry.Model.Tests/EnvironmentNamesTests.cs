using Gantry.Model.Environments;

namespace Gantry.Model.Tests;

public sealed class EnvironmentNamesTests
{
    [Fact]
    public void InstanceOf_Production_IsTheAppItself()
    {
        Assert.Equal("hello", EnvironmentNames.InstanceOf("hello", "production"));
        Assert.Equal("hello-staging", EnvironmentNames.InstanceOf("hello", "staging"));
    }

    [Theory]
    [InlineData("staging", true)]
    [InlineData("qa2", true)]
    [InlineData("Staging", false)]
    [InlineData("pre-prod", false)]
    [InlineData("2qa", false)]
    [InlineData("", false)]
    public void IsValid_LowerCaseLettersAndDigits(string name, bool valid) => Assert.Equal(valid, EnvironmentNames.IsValid(name));

    [Fact]
    public void Check_InstanceTooLong_NamesTheInstanceAndTheFix()
    {
        var error = EnvironmentNames.Check(new string('a', 60), "staging");

        Assert.Contains("is not a valid app name", error);
        Assert.Contains("use a shorter app or environment name", error);
        Assert.Null(EnvironmentNames.Check("hello", "staging"));
    }
}

public sealed class EnvironmentRequestsTests
{
    [Fact]
    public void Deserialize_NullsAndMissing_TakeTheDefaults()
    {
        var change = System.Text.Json.JsonSerializer.Deserialize("{\"set\":{\"A\":\"1\"},\"unset\":null}", Api.ApiJsonContext.Default.VariablesChange)!;
        var promote = System.Text.Json.JsonSerializer.Deserialize("{\"from\":null}", Api.ApiJsonContext.Default.PromoteRequest)!;

        Assert.Empty(change.Unset);
        Assert.Equal("1", change.Set["A"]);
        Assert.Equal(("staging", "production"), (promote.From, promote.To));
    }
}
