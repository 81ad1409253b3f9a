namespace Gantry.Compose.Validation;

/// <summary>What Gantry does with one compose key.</summary>
internal enum KeyKind
{
    /// <summary>Read and honoured.</summary>
    Supported,
    /// <summary>Accepted with a warning because it does not change what runs.</summary>
    Ignored,
    /// <summary>Valid compose, but Gantry cannot honour it: an error naming the feature.</summary>
    Unsupported,
}

/// <summary>One key of a compose object and how Gantry treats it; <see cref="Note"/> explains ignored and unsupported keys.</summary>
internal sealed record KeyRule(KeyKind Kind, string? Note = null);
