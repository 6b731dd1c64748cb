package dev.wakegate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every key the config file accepts, one {@link Section} per YAML mapping. {@link ConfigLoader}
 * reads each mapping through its section ({@link YamlSection} refuses any key the section does not
 * list), so this is the one list of accepted keys: docs/configuration.md is tested against
 * {@link #sections()} (ConfigReferenceTest), and a key added here without its entry there fails the
 * build.
 */
final class ConfigKeys {
    // Declared before the sections: each adds itself as it is built.
    private static final List<Section> SECTIONS = new ArrayList<>();

    static final Section ROOT = new Section("",
            "listen", "workers", "automation", "state", "docker", "containers", "routes", "tcp",
            "timeouts", "limits", "logging", "tls", "access_log", "trusted_proxies", "proxy_protocol");
    static final Section AUTOMATION = new Section("automation",
            "auto_start", "auto_stop", "idle_timeout", "high_idle_timeout", "low_idle_timeout",
            "startup_timeout", "health_check_interval", "idle_check_interval", "max_stops_per_cycle",
            "min_running", "timezone", "no_wake", "min_free_memory");
    static final Section NO_WAKE = new Section("automation.no_wake", "user_agents", "paths", "methods");
    static final Section STATE = new Section("state", "redis", "instance_timeout");
    static final Section DOCKER = new Section("docker", "host", "labels", "project");
    static final Section CONTAINER = new Section("containers.<name>",
            "priority", "upstream", "health", "depends_on", "idle_timeout", "sleep", "keep_awake", "idle_veto",
            "kind", "replicas");
    static final Section HEALTH = new Section("containers.<name>.health", "http", "tcp");
    static final Section IDLE_VETO = new Section("containers.<name>.idle_veto", "http");
    static final Section ROUTE = new Section("routes[]", "path", "containers", "upstream", "waiting_page", "host",
            "max_body", "allow", "deny", "no_wake");
    static final Section ROUTE_NO_WAKE = new Section("routes[].no_wake", "user_agents", "paths", "methods");
    static final Section TCP = new Section("tcp[]", "listen", "container", "upstream", "tls", "proxy_protocol");
    static final Section TLS = new Section("tls", "listen", "certificates", "redirect_http", "redirect_port", "hsts",
            "proxy_protocol");
    static final Section CERTIFICATE = new Section("tls.certificates[]", "cert", "key");
    static final Section TIMEOUTS = new Section("timeouts",
            "header_read", "body_read", "idle_keep_alive", "client_send", "upstream_connect", "upstream_send",
            "upstream_response", "upstream_read", "upstream_idle", "docker_call", "drain");
    static final Section LIMITS = new Section("limits",
            "max_request_line", "max_head_size", "max_headers", "park_buffer", "max_parked", "max_body");
    static final Section LOGGING = new Section("logging", "json");
    static final Section ACCESS_LOG = new Section("access_log", "path", "format");

    private ConfigKeys() {
    }

    /** Every section, in declaration order. */
    static List<Section> sections() {
        return Collections.unmodifiableList(SECTIONS);
    }

    /**
     * The keys of one YAML mapping. Only this class makes sections, so every one is in
     * {@link #sections()}.
     */
    static final class Section {
        private final String path;
        private final List<String> keys;

        /**
         * @param path where the mapping sits, as the reference writes it: {@code ""} for the top
         *             level, {@code automation}, {@code containers.<name>} (each entry of a mapping
         *             keyed by name), {@code routes[]} (each item of a list)
         */
        private Section(String path, String... keys) {
            this.path = path;
            this.keys = List.of(keys);
            SECTIONS.add(this);
        }

        String path() {
            return path;
        }

        /** The keys, in the order they were declared. */
        List<String> keys() {
            return keys;
        }

        boolean allows(String key) {
            return keys.contains(key);
        }

        /** The full name of {@code key} in this section, as the reference writes it: {@code routes[].path}. */
        String fullName(String key) {
            return YamlSection.join(path, key);
        }

        @Override
        public String toString() {
            return (path.isEmpty() ? "(top level)" : path) + " " + keys;
        }
    }
}
