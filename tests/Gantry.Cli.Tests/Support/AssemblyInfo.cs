// The CLI's config file mode (0600) is a Unix property; these tests run on the project's Linux machines.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
