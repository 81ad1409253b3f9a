using Gantry.Model;

namespace Gantry.Compose;

/// <summary>The outcome of a load: the app when there were no errors, every diagnostic, and the variable names interpolation looked up.</summary>
/// <param name="ReferencedVariables">Every variable name interpolation asked for, so a client can send only those to the server.</param>
public sealed record ComposeLoadResult(AppSpec? App, IReadOnlyList<ComposeDiagnostic> Diagnostics, IReadOnlySet<string> ReferencedVariables)
{
    public bool Succeeded => App is not null && !Diagnostics.Any(d => d.Severity == ComposeSeverity.Error);

    public IEnumerable<ComposeDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ComposeSeverity.Error);

    public IEnumerable<ComposeDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ComposeSeverity.Warning);
}
