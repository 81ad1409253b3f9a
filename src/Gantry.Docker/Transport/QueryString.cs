using System.Globalization;
using System.Text;

namespace Gantry.Docker.Transport;

/// <summary>Builds an escaped query string; null values are left out so defaults stay the daemon's.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _builder = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _builder.Append(_builder.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name))
            .Append('=')
            .Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, bool? value) => value is null ? this : Add(name, value.Value ? "1" : "0");

    public QueryString Add(string name, long? value) => value is null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean flag only when it is true, the way the docker CLI sends optional switches.</summary>
    public QueryString AddFlag(string name, bool value) => value ? Add(name, "1") : this;

    public QueryString Add(string name, DockerFilters? filters) =>
        filters is null || filters.IsEmpty ? this : Add(name, filters.ToJson());

    public override string ToString() => _builder.ToString();
}
