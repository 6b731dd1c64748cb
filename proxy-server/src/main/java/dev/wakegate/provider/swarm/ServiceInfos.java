package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadInfo.Health;
import dev.wakegate.provider.WorkloadInfo.Status;
import dev.wakegate.provider.docker.EventJson;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Maps the engine's service and task JSON to the lifecycle's {@link WorkloadInfo} and
 * {@link WorkloadEvent}, and decides the replica counts. Pure functions, unit-tested without an
 * engine.
 *
 * <p>A replicated service is RUNNING when as many of its tasks run as its spec asks for (a task
 * whose container has a HEALTHCHECK runs once healthy: Swarm keeps it "starting" until then), so
 * it has no healthcheck of its own here; EXITED at 0 replicas; DEAD when fewer run and a task made
 * since the service's last update failed or was rejected (its error and exit code are reported);
 * else CREATED ("scaled up, not all replicas running yet"). A global service is RUNNING while any
 * of its tasks runs.
 */
final class ServiceInfos {
    /** The label the engine puts on a task's container: the service it belongs to. */
    static final String TASK_SERVICE_LABEL = "com.docker.swarm.service.name";
    /** Swarm's default stop grace period, when the service does not set one. */
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    /** Task states in which a task is on a node and may still hold its process (and its port). */
    private static final Set<String> ON_NODE = Set.of("assigned", "accepted", "preparing", "ready", "starting", "running");

    private ServiceInfos() {
    }

    static String name(JsonNode service) {
        return service.path("Spec").path("Name").asText();
    }

    static boolean replicated(JsonNode service) {
        return !service.path("Spec").path("Mode").has("Global")
                && !service.path("Spec").path("Mode").has("GlobalJob")
                && !service.path("Spec").path("Mode").has("ReplicatedJob");
    }

    /** The replica count its spec asks for (0 for a service that is not replicated). */
    static int replicas(JsonNode service) {
        return service.path("Spec").path("Mode").path("Replicated").path("Replicas").asInt(0);
    }

    /**
     * How many replicas a wake scales it to: the configured count; else its current count when not
     * 0 (someone chose it); else the count wakegate remembered when it scaled it to 0
     * ({@link LabelConfig#LAST_REPLICAS}); else 1.
     */
    static int wakeReplicas(OptionalInt configured, JsonNode service) {
        if (configured.isPresent()) {
            return configured.getAsInt();
        }
        int current = replicas(service);
        if (current > 0) {
            return current;
        }
        String remembered = SwarmApi.labels(service).get(LabelConfig.LAST_REPLICAS);
        if (remembered != null) {
            try {
                int n = Integer.parseInt(remembered.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // written by hand: not a count
            }
        }
        return 1;
    }

    /** Its stop grace period ({@code --stop-grace-period}), else Swarm's default. */
    static Duration stopGrace(JsonNode service) {
        JsonNode ns = service.path("Spec").path("TaskTemplate").path("ContainerSpec").path("StopGracePeriod");
        return ns.isNumber() ? Duration.ofNanos(ns.asLong()) : DEFAULT_STOP_GRACE;
    }

    private static String state(JsonNode task) {
        return task.path("Status").path("State").asText("");
    }

    /** Tasks that run and are meant to. */
    static int running(List<JsonNode> tasks) {
        int n = 0;
        for (JsonNode t : tasks) {
            if ("running".equals(state(t)) && "running".equals(t.path("DesiredState").asText())) {
                n++;
            }
        }
        return n;
    }

    /** Tasks still on a node, whatever they are meant to do: a scale-down is over when this is 0. */
    static int onNode(List<JsonNode> tasks) {
        int n = 0;
        for (JsonNode t : tasks) {
            if (ON_NODE.contains(state(t))) {
                n++;
            }
        }
        return n;
    }

    static WorkloadInfo fromService(JsonNode service, List<JsonNode> tasks) {
        String id = service.path("ID").asText(null);
        String name = name(service);
        Map<String, String> labels = SwarmApi.labels(service);
        int running = running(tasks);
        if (!replicated(service)) {
            return info(id, name, running > 0 ? Status.RUNNING : Status.CREATED, 0, null, labels);
        }
        int target = replicas(service);
        if (target == 0) {
            return info(id, name, Status.EXITED, 0, null, labels);
        }
        if (running >= target) {
            return info(id, name, Status.RUNNING, 0, null, labels);
        }
        JsonNode failed = failedSinceUpdate(service, tasks);
        if (failed != null) {
            String err = failed.path("Status").path("Err").asText(null);
            int exit = failed.path("Status").path("ContainerStatus").path("ExitCode").asInt(0);
            String reason = "task " + state(failed) + (err == null || err.isBlank() ? "" : ": " + err);
            return info(id, name, Status.DEAD, exit, reason, labels);
        }
        return info(id, name, Status.CREATED, 0, null, labels);
    }

    /** A task made since the service's spec last changed that failed or was rejected, or null. */
    private static @Nullable JsonNode failedSinceUpdate(JsonNode service, List<JsonNode> tasks) {
        Instant updated = instant(service.path("UpdatedAt").asText(null));
        for (JsonNode t : tasks) {
            String s = state(t);
            if (!"failed".equals(s) && !"rejected".equals(s)) {
                continue;
            }
            Instant created = instant(t.path("CreatedAt").asText(null));
            if (updated == null || created == null || !created.isBefore(updated)) {
                return t;
            }
        }
        return null;
    }

    private static @Nullable Instant instant(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static WorkloadInfo info(@Nullable String id, String name, Status status, int exit, @Nullable String error,
                                     Map<String, String> labels) {
        return new WorkloadInfo(id, name, null, status, Health.NONE, false, exit, error, labels);
    }

    /**
     * The event as the lifecycle follows it, or null: a service's create and update (its spec, labels
     * included, may have changed: read it again) are CREATE, its remove is DESTROY; its tasks'
     * containers starting and dying are START and DIE of the service.
     */
    static @Nullable WorkloadEvent fromEvent(JsonNode e) {
        String action = EventJson.action(e);
        if (action == null || !EventJson.hasActor(e)) {
            return null;
        }
        Map<String, String> attributes = EventJson.attributes(e);
        long millis = EventJson.millis(e);
        String eventType = EventJson.type(e);
        if ("service".equals(eventType)) {
            WorkloadEvent.@Nullable Type kind = switch (action) {
                case "create", "update" -> WorkloadEvent.Type.CREATE;
                case "remove" -> WorkloadEvent.Type.DESTROY;
                default -> null;
            };
            String name = attributes.get("name");
            return kind == null || name == null ? null
                    : new WorkloadEvent(kind, EventJson.actorId(e), name, null, null, Map.of(), millis);
        }
        if ("container".equals(eventType)) {
            String service = attributes.get(TASK_SERVICE_LABEL);
            if (service == null) {
                return null; // not a task's container
            }
            WorkloadEvent.@Nullable Type type = switch (action) {
                case "start" -> WorkloadEvent.Type.START;
                case "die" -> WorkloadEvent.Type.DIE;
                default -> null;
            };
            String serviceId = attributes.get("com.docker.swarm.service.id");
            return type == null ? null : new WorkloadEvent(type, serviceId, service, null, null, Map.of(), millis);
        }
        return null;
    }
}
