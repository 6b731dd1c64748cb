package dev.wakegate.config;

import java.util.Map;
import java.util.Optional;

/**
 * Which containers label discovery looks at ({@code docker: { labels: ..., project: ... }}): all
 * containers with {@code wakegate.enable=true} on the engine (the default), only those of one
 * compose project (label {@code com.docker.compose.project}), or none. Two wakegate instances in
 * front of two compose projects on one engine each set their project, so neither manages the
 * other's containers.
 */
public record Discovery(boolean enabled, Optional<String> project) {
    public static final String PROJECT_LABEL = "com.docker.compose.project";
    public static final Discovery DEFAULT = new Discovery(true, Optional.empty());

    /** True when a container with these labels is in scope (its own wakegate.enable is checked elsewhere). */
    public boolean covers(Map<String, String> labels) {
        return enabled && project.map(p -> p.equals(labels.get(PROJECT_LABEL))).orElse(true);
    }
}
