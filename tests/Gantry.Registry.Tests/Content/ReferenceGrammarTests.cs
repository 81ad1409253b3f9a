using Gantry.Registry.Content;

namespace Gantry.Registry.Tests.Content;

public sealed class ReferenceGrammarTests
{
    [Theory]
    [InlineData("app", true)]
    [InlineData("team/app", true)]
    [InlineData("a.b_c__d-e--f/g", true)]
    [InlineData("App", false)]
    [InlineData("app/", false)]
    [InlineData("-app", false)]
    [InlineData("a___b", false)]
    [InlineData("a//b", false)]
    public void IsValidName_SpecGrammar_Matches(string name, bool valid) => Assert.Equal(valid, ReferenceGrammar.IsValidName(name));

    [Fact]
    public void IsValidName_TooLong_IsFalse() => Assert.False(ReferenceGrammar.IsValidName(new string('a', 256)));

    [Theory]
    [InlineData("latest", true)]
    [InlineData("v1.2.3-rc_1", true)]
    [InlineData("_x", true)]
    [InlineData(".x", false)]
    [InlineData("-x", false)]
    [InlineData("a:b", false)]
    public void IsValidTag_SpecGrammar_Matches(string tag, bool valid) => Assert.Equal(valid, ReferenceGrammar.IsValidTag(tag));

    [Fact]
    public void IsValidTag_129Characters_IsFalse() => Assert.False(ReferenceGrammar.IsValidTag(new string('a', 129)));

    [Theory]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", false)]
    [InlineData("sha256:abc", false)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", false)]
    [InlineData("nocolon", false)]
    public void DigestTryParse_Variants_Matches(string value, bool valid) => Assert.Equal(valid, Digest.TryParse(value, out _));
}
