namespace Gantry.Compose;

/// <summary>One problem found while loading compose files, located by file, line, column and the field's path.</summary>
/// <param name="Path">Dotted field path such as "services.web.ports[1]"; empty for whole-file problems.</param>
public sealed record ComposeDiagnostic(ComposeSeverity Severity, string File, int Line, int Column, string Path, string Message)
{
    public override string ToString()
    {
        var location = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        var level = Severity == ComposeSeverity.Warning ? "warning: " : "";
        return Path.Length > 0 ? $"{location}: {level}{Path}: {Message}" : $"{location}: {level}{Message}";
    }
}
