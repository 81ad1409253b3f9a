using Gantry.Registry.Api;

namespace Gantry.Registry.Tests.Content;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("", RegistryRouteKind.Base, "", "")]
    [InlineData("_catalog", RegistryRouteKind.Catalog, "", "")]
    [InlineData("a/b/tags/list", RegistryRouteKind.Tags, "a/b", "")]
    [InlineData("a/b/manifests/latest", RegistryRouteKind.Manifest, "a/b", "latest")]
    [InlineData("blobs/manifests/x", RegistryRouteKind.Manifest, "blobs", "x")]
    [InlineData("a/blobs/b/manifests/x", RegistryRouteKind.Manifest, "a/blobs/b", "x")]
    [InlineData("a/blobs/sha256:00", RegistryRouteKind.Blob, "a", "sha256:00")]
    [InlineData("a/blobs/uploads/", RegistryRouteKind.UploadStart, "a", "")]
    [InlineData("a/blobs/uploads", RegistryRouteKind.UploadStart, "a", "")]
    [InlineData("x/y/blobs/uploads/1234", RegistryRouteKind.Upload, "x/y", "1234")]
    [InlineData("x/referrers/sha256:00", RegistryRouteKind.Referrers, "x", "sha256:00")]
    [InlineData("nothing", RegistryRouteKind.Unknown, "", "")]
    [InlineData("a/what/x", RegistryRouteKind.Unknown, "", "")]
    public void Parse_Path_FindsResourceFromTheEnd(string path, RegistryRouteKind kind, string name, string reference)
    {
        RegistryRoute route = RegistryRoute.Parse(path);
        Assert.Equal(kind, route.Kind);
        if (kind != RegistryRouteKind.Unknown)
        {
            Assert.Equal(name, route.Name);
            Assert.Equal(reference, route.Reference);
        }
    }
}
