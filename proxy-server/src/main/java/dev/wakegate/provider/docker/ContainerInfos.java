package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadInfo.Health;
import dev.wakegate.provider.WorkloadInfo.Status;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps the engine's inspect and event JSON to the lifecycle's
 * {@link WorkloadInfo} and {@link WorkloadEvent}.
 * Pure functions, so the mapping is unit-tested without an engine.
 */
final class ContainerInfos {

    static final String SERVICE_LABEL = "com.docker.compose.service";

    /** Event actor attributes that are not container labels. */
    private static final Set<String> EVENT_FIELDS = Set.of("name", "image", "exitCode", "signal", "execDuration");

    private ContainerInfos() {
    }

    /** A container as {@code GET /containers/{id}/json} describes it ({@link EngineJson#inspect}). */
    static WorkloadInfo fromInspect(JsonNode r) {
        JsonNode state = r.path("State");
        JsonNode config = r.path("Config");
        Map<String, String> labels = labels(config.path("Labels"));
        JsonNode healthState = state.path("Health");
        boolean hasHealthcheck = definesHealthcheck(config.path("Healthcheck")) || healthState.isObject();
        String error = text(state.path("Error"));
        return new WorkloadInfo(
                text(r.path("Id")),
                stripSlash(r.path("Name").asText()),
                labels.get(SERVICE_LABEL),
                status(text(state.path("Status"))),
                health(text(healthState.path("Status"))),
                hasHealthcheck,
                state.path("ExitCode").asInt(0),
                error == null || error.isEmpty() ? null : error,
                labels);
    }

    /** Whether the engine says the container is paused ({@code State.Paused} of an inspect). */
    static boolean paused(JsonNode inspected) {
        return inspected.path("State").path("Paused").asBoolean(false);
    }

    /** A JSON object of strings (labels), in the engine's order; empty when absent or null. */
    static Map<String, String> labels(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static @Nullable String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    /**
     * A HEALTHCHECK ({@code Config.Healthcheck}) is defined when it has a test other than
     * {@code ["NONE"]} (which disables the image's).
     */
    static boolean definesHealthcheck(JsonNode hc) {
        JsonNode test = hc.path("Test");
        return test.isArray() && !test.isEmpty() && !"NONE".equals(test.get(0).asText());
    }

    static Status status(@Nullable String engineStatus) {
        if (engineStatus == null) {
            return Status.MISSING;
        }
        return switch (engineStatus.toLowerCase(Locale.ROOT)) {
            case "created" -> Status.CREATED;
            case "running" -> Status.RUNNING;
            case "restarting" -> Status.RESTARTING;
            case "paused" -> Status.PAUSED;
            case "exited" -> Status.EXITED;
            case "dead" -> Status.DEAD;
            case "removing" -> Status.REMOVING;
            default -> Status.MISSING;
        };
    }

    static Health health(@Nullable String engineHealth) {
        if (engineHealth == null) {
            return Health.NONE;
        }
        return switch (engineHealth.trim().toLowerCase(Locale.ROOT)) {
            case "starting" -> Health.STARTING;
            case "healthy" -> Health.HEALTHY;
            case "unhealthy" -> Health.UNHEALTHY;
            default -> Health.NONE;
        };
    }

    static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    /** Signals that end a process unless it handles them: TERM (docker stop), KILL, INT, QUIT. */
    private static final Set<String> DEADLY_SIGNALS = Set.of("15", "9", "2", "3", "SIGTERM", "SIGKILL", "SIGINT", "SIGQUIT", "TERM", "KILL", "INT", "QUIT");

    /** A kill event that likely ends the container (a HUP sent to reload it does not). */
    private static boolean deadly(Map<String, String> attributes) {
        String signal = attributes.get("signal");
        return signal == null || DEADLY_SIGNALS.contains(signal.trim().toUpperCase(Locale.ROOT));
    }

    /** The event as the lifecycle follows it; null for actions it does not (exec_create, attach, a HUP). */
    static @Nullable WorkloadEvent fromEvent(JsonNode e) {
        String action = EventJson.action(e);
        if (action == null) {
            return null;
        }
        WorkloadEvent.@Nullable Type type;
        @Nullable Health health = null;
        if (action.startsWith("health_status")) {
            type = WorkloadEvent.Type.HEALTH_STATUS;
            int colon = action.indexOf(':');
            health = health(colon < 0 ? null : action.substring(colon + 1));
        } else {
            type = switch (action) {
                case "create" -> WorkloadEvent.Type.CREATE;
                case "start" -> WorkloadEvent.Type.START;
                case "kill" -> deadly(EventJson.attributes(e)) ? WorkloadEvent.Type.KILL : null;
                case "die" -> WorkloadEvent.Type.DIE;
                case "stop" -> WorkloadEvent.Type.STOP;
                case "pause" -> WorkloadEvent.Type.PAUSE;
                case "unpause" -> WorkloadEvent.Type.UNPAUSE;
                case "destroy" -> WorkloadEvent.Type.DESTROY;
                default -> null;
            };
            if (type == null) {
                return null;
            }
        }
        Map<String, String> attributes = EventJson.attributes(e);
        Map<String, String> labels = new HashMap<>(attributes);
        labels.keySet().removeAll(EVENT_FIELDS);
        return new WorkloadEvent(type, EventJson.actorId(e), attributes.get("name"), attributes.get(SERVICE_LABEL), health,
                labels, EventJson.millis(e));
    }
}
