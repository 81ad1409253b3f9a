namespace Gantry.Compose.Validation;

/// <summary>Key tables for every compose object Gantry reads, taken from the Compose Specification's JSON schema; README.md explains the choices.</summary>
internal static class SchemaKeys
{
    public static readonly KeyTable TopLevel = new(
        "the top level",
        "name include services networks volumes secrets configs",
        ignored: "version: the top-level 'version' is obsolete, ignored",
        unsupported: "models");

    public static readonly KeyTable Service = new(
        "a service",
        """
        build command configs cpus depends_on deploy entrypoint env_file environment expose extends
        extra_hosts healthcheck image labels mem_limit mem_reservation networks pids_limit ports profiles
        restart scale secrets stop_grace_period stop_signal tmpfs user volumes working_dir
        hostname domainname read_only init dns dns_search dns_opt ulimits sysctls logging tty stdin_open pull_policy
        memswap_limit shm_size platform runtime network_mode links cpu_shares cpuset group_add
        cap_add cap_drop security_opt privileged devices pid ipc userns_mode
        """,
        ignored: """
            container_name: Gantry names containers itself (app-service-slot-hash) so replicas can scale; container_name is ignored|
            develop: 'develop' configures compose watch on a developer's machine and does not change what runs; ignored|
            attach: log attachment is a client setting, ignored; use gantry logs
            """,
        unsupported: """
            annotations blkio_config cgroup cgroup_parent cpu_count cpu_percent cpu_period cpu_quota
            cpu_rt_period cpu_rt_runtime credential_spec device_cgroup_rules external_links gpus isolation label_file
            mac_address mem_swappiness models oom_kill_disable oom_score_adj
            post_start pre_stop provider pull_refresh_after storage_opt use_api_socket uts volumes_from
            """)
    {
        Misplaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["replicas"] = "deploy.replicas",
            ["resources"] = "deploy.resources",
            ["memory"] = "mem_limit",
            ["restart_policy"] = "deploy.restart_policy",
            ["update_config"] = "deploy.update_config",
            ["env"] = "environment",
        },
    };

    public static readonly KeyTable Build = new(
        "build",
        "context dockerfile args target",
        unsupported: """
            additional_contexts cache_from cache_to dockerfile_inline entitlements extra_hosts isolation labels network
            no_cache platforms privileged provenance pull sbom secrets shm_size ssh tags ulimits
            """);

    public static readonly KeyTable Deploy = new(
        "deploy",
        "mode replicas resources restart_policy update_config placement",
        ignored: """
            endpoint_mode: Gantry's router balances over the replicas itself; endpoint_mode is ignored|
            labels: deploy.labels label a Swarm service, and Gantry runs no Swarm services yet (labels on the containers are the service's 'labels'); ignored
            """,
        unsupported: "rollback_config");

    public static readonly KeyTable Placement = new("deploy.placement", "constraints preferences max_replicas_per_node");

    public static readonly KeyTable PlacementPreference = new("a placement preference", "spread");

    public static readonly KeyTable Logging = new("logging", "driver options");

    public static readonly KeyTable Ulimit = new("a ulimit", "soft hard");

    public static readonly KeyTable Device = new("a device", "source target permissions");

    public static readonly KeyTable Ipam = new("ipam", "driver config options");

    public static readonly KeyTable IpamPool = new("an ipam config entry", "subnet ip_range gateway", unsupported: "aux_addresses");

    public static readonly KeyTable Resources = new("deploy.resources", "limits reservations");

    public static readonly KeyTable Limits = new("deploy.resources.limits", "cpus memory pids");

    public static readonly KeyTable Reservations = new("deploy.resources.reservations", "cpus memory", unsupported: "devices generic_resources");

    public static readonly KeyTable RestartPolicy = new("deploy.restart_policy", "condition delay max_attempts window");

    public static readonly KeyTable UpdateConfig = new("deploy.update_config", "parallelism delay failure_action monitor max_failure_ratio order");

    public static readonly KeyTable HealthCheck = new("healthcheck", "disable interval retries test timeout start_period start_interval");

    public static readonly KeyTable DependsOn = new("a depends_on entry", "condition required restart");

    public static readonly KeyTable Port = new(
        "a port",
        "target published host_ip protocol mode",
        ignored: "name: port names are informational and ignored| app_protocol: the application protocol hint is informational and ignored");

    public static readonly KeyTable Volume = new(
        "a volume mount",
        "type source target read_only bind volume tmpfs",
        ignored: "consistency: mount consistency only matters for Docker Desktop on macOS; ignored",
        unsupported: "image");

    public static readonly KeyTable BindOptions = new("bind options", "create_host_path", unsupported: "propagation recursive selinux");

    public static readonly KeyTable VolumeOptions = new("volume options", "nocopy", unsupported: "subpath");

    public static readonly KeyTable TmpfsOptions = new("tmpfs options", "size mode");

    public static readonly KeyTable ServiceNetwork = new(
        "a service network",
        "aliases ipv4_address",
        ignored: "priority: Gantry connects networks in name order; priority is ignored| gw_priority: Gantry picks the gateway network itself; gw_priority is ignored",
        unsupported: "interface_name ipv6_address link_local_ips mac_address driver_opts");

    public static readonly KeyTable FileReference = new("a secret or config reference", "source target uid gid mode");

    public static readonly KeyTable EnvFile = new("an env_file entry", "path required", unsupported: "format");

    public static readonly KeyTable Extends = new("extends", "service file");

    public static readonly KeyTable Include = new("an include entry", "path env_file project_directory");

    public static readonly KeyTable Network = new(
        "a network",
        "name driver driver_opts external internal labels ipam",
        ignored: "attachable: Gantry attaches its own containers; attachable is ignored",
        unsupported: "enable_ipv4 enable_ipv6");

    public static readonly KeyTable TopVolume = new("a volume", "name driver driver_opts external labels");

    public static readonly KeyTable Secret = new(
        "a secret",
        "name file environment external",
        ignored: "labels: labels on secrets are not stored; ignored",
        unsupported: "driver driver_opts template_driver");

    public static readonly KeyTable Config = new(
        "a config",
        "name file environment content external",
        ignored: "labels: labels on configs are not stored; ignored",
        unsupported: "template_driver");
}
