namespace Gantry.Compose.Tests;

/// <summary>Finds the shared test corpus next to the repository; a missing corpus fails the test instead of skipping it.</summary>
internal static class CorpusPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gantry.slnx")))
            {
                dir = dir.Parent;
            }
            Assert.True(dir is not null, "could not find Gantry.slnx above " + AppContext.BaseDirectory);
            var corpus = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "corpus"));
            Assert.True(Directory.Exists(corpus), "the shared test corpus is missing: " + corpus);
            return corpus;
        }
    }

    public static string ComposeGo(params string[] parts) => Path.Combine([Root, "compose-go", .. parts]);
}
