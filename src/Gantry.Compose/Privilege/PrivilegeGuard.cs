using Gantry.Compose.Yaml;

namespace Gantry.Compose.Privilege;

/// <summary>Applies a <see cref="PrivilegePolicy"/> for one load: each privileged value of an app the admin did not allow becomes a diagnostic at its key, saying what it grants and how to allow it.</summary>
internal sealed class PrivilegeGuard(PrivilegePolicy policy, string app, DiagnosticBag diagnostics)
{
    /// <summary>The capabilities Docker gives every container (moby's oci/caps defaults): adding one of them grants nothing.</summary>
    public static readonly IReadOnlySet<string> DefaultCapabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    public bool Allowed => policy.Allows(app);

    /// <summary>True when the value may be used; otherwise reports it at <paramref name="at"/> and returns false.</summary>
    /// <param name="key">The compose key and value as the user would recognise them ("cap_add 'NET_ADMIN'").</param>
    /// <param name="grants">What it gives the container, in a few words.</param>
    public bool Check(ComposeNode at, string path, string key, string grants)
    {
        if (Allowed)
        {
            return true;
        }
        if (policy.NonAdminCaller is { } caller && policy.AllowedApps.Any(a => a == "*" || string.Equals(a, app, StringComparison.Ordinal)))
        {
            diagnostics.Error(at, path, $"{key} {grants}: only an admin may deploy it, even for app '{app}' where the server allows privileged keys; you are {caller}. Ask an admin to deploy this change");
            return false;
        }
        diagnostics.Error(at, path,
            $"{key} {grants}, which needs the admin's permission: refused unless an admin allows privileged keys for app '{app}' on the server "
            + $"({policy.AllowCommand} {app}, or {policy.AllowVariable}={app}; '*' allows every app)");
        return false;
    }
}
