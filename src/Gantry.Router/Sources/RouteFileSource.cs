using System.Text.Json;
using Gantry.Router.Contracts.Routes;

namespace Gantry.Router.Sources;

/// <summary>Reads a route table from a JSON file (`gantry router --routes file.json`, tests, and the saved state).</summary>
public static class RouteFileSource
{
    /// <summary>Parses and validates the file; throws <see cref="RouteTableException"/> naming the file and listing every problem.</summary>
    public static RouteTableSpec Load(string path)
    {
        RouteTableSpec? table;
        try
        {
            using var stream = File.OpenRead(path);
            table = JsonSerializer.Deserialize(stream, RouteTableJsonContext.Default.RouteTableSpec);
        }
        catch (JsonException ex)
        {
            throw new RouteTableException(path, [new ConfigError(ex.Path ?? "$", $"is not valid route-table JSON (line {ex.LineNumber + 1}): {ex.Message}")]);
        }

        if (table is null)
        {
            throw new RouteTableException(path, [new ConfigError("$", "is null; the file must hold one route-table object {\"version\":1,\"routes\":[],\"clusters\":[]}")]);
        }

        var errors = RouteTableValidator.Validate(table);
        if (errors.Count != 0)
        {
            throw new RouteTableException(path, errors);
        }

        return table;
    }
}
