namespace Gantry.Model.Api;

/// <summary>A problem in user input, located: "compose.yaml:12:7: services.web.ports[1]: ...".</summary>
public sealed record Diagnostic(string Severity, string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {(Path.Length > 0 ? Path + ": " : "")}{Message}" : $"{File}: {(Path.Length > 0 ? Path + ": " : "")}{Message}";
}
