using System.Text.Json;

namespace Gantry.Store;

/// <summary>Checks and compares the JSON documents the store holds, without binding them to types.</summary>
internal static class JsonDocuments
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the resource and field when <paramref name="json"/> does not parse.</summary>
    public static void Validate(string json, string kind, string name, string field)
    {
        ArgumentNullException.ThrowIfNull(json, field);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The {field} of {kind} '{name}' is not valid JSON ({ex.Message}); send a JSON document.", field, ex);
        }
    }

    /// <summary>True when both documents mean the same (ignoring whitespace and object member order).</summary>
    public static bool SameDocument(string? a, string? b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }
        if (a is null || b is null)
        {
            return false;
        }
        using var left = JsonDocument.Parse(a);
        using var right = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(left.RootElement, right.RootElement);
    }

    public static void ValidateName(string kind, string name)
    {
        if (string.IsNullOrWhiteSpace(kind))
        {
            throw new ArgumentException("The resource kind is empty; pass a kind such as 'App'.", nameof(kind));
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"The name of a {kind} is empty; pass the resource's name.", nameof(name));
        }
    }
}
