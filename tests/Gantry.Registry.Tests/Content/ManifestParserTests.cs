using System.Text;
using Gantry.Registry.Content;

namespace Gantry.Registry.Tests.Content;

public sealed class ManifestParserTests
{
    private const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static ManifestParseResult Parse(string json, string? contentType = null) => ManifestParser.Parse(Encoding.UTF8.GetBytes(json), contentType);

    [Fact]
    public void Parse_ImageManifest_ListsConfigAndLayers()
    {
        ManifestParseResult r = Parse($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerManifest}\",\"config\":{{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"{D1}\",\"size\":1}},\"layers\":[{{\"mediaType\":\"x\",\"digest\":\"{D2}\",\"size\":2}}]}}");
        Assert.NotNull(r.Manifest);
        Assert.Equal(MediaTypes.DockerManifest, r.Manifest.MediaType);
        Assert.Equal([D1, D2], r.Manifest.BlobDigests);
        Assert.Equal("application/vnd.docker.container.image.v1+json", r.Manifest.ArtifactType);
    }

    [Fact]
    public void Parse_ForeignLayerWithUrls_IsNotRequiredLocally()
    {
        ManifestParseResult r = Parse($"{{\"schemaVersion\":2,\"config\":{{\"mediaType\":\"c\",\"digest\":\"{D1}\",\"size\":1}},\"layers\":[{{\"mediaType\":\"x\",\"digest\":\"{D2}\",\"size\":2,\"urls\":[\"https://example.com/l\"]}}]}}", MediaTypes.OciManifest);
        Assert.Equal([D1], r.Manifest!.BlobDigests);
    }

    [Fact]
    public void Parse_IndexWithSubjectAndArtifactType_ReadsThem()
    {
        ManifestParseResult r = Parse($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"artifactType\":\"a/b\",\"manifests\":[{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{D1}\",\"size\":1}}],\"subject\":{{\"mediaType\":\"m\",\"digest\":\"{D2}\",\"size\":3}},\"annotations\":{{\"k\":\"v\"}}}}");
        Assert.Equal([D1], r.Manifest!.ManifestDigests);
        Assert.Equal(D2, r.Manifest.SubjectDigest);
        Assert.Equal("a/b", r.Manifest.ArtifactType);
        Assert.Equal("{\"k\":\"v\"}", r.Manifest.AnnotationsJson);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"fsLayers\":[]}", null, "schema 1")]
    [InlineData("{}", "application/vnd.docker.distribution.manifest.v1+prettyjws", "schema 1")]
    [InlineData("not json", null, "not valid JSON")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}", null, "not supported")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", null, "'config'")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:zz\",\"size\":1}}", null, "config.digest")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", "application/vnd.oci.image.index.v1+json", "does not match")]
    public void Parse_Invalid_FailsWithManifestInvalidNamingTheProblem(string json, string? contentType, string expected)
    {
        ManifestParseResult r = Parse(json, contentType);
        Assert.Null(r.Manifest);
        Assert.Equal("MANIFEST_INVALID", r.ErrorCode);
        Assert.Contains(expected, r.ErrorMessage, StringComparison.Ordinal);
    }
}
