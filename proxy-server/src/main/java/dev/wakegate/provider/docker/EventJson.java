package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one object of the engine's event stream ({@code GET /events}), read from its JSON
 * tree as docker-java's {@code Event} model read them: {@code Type}, {@code Action} (or the older
 * {@code status}), {@code Actor.ID} (or the older {@code id}), {@code Actor.Attributes},
 * {@code timeNano} (or {@code time}, in seconds). Pure functions, for {@link ContainerInfos} and the
 * Swarm provider's mapping.
 */
public final class EventJson {
    private EventJson() {
    }

    /** {@code Type}: "container", "service", ...; null when absent. */
    public static @Nullable String type(JsonNode event) {
        return scalar(event.path("Type"));
    }

    /** {@code Action} ("start", "health_status: healthy", ...), else the older {@code status}; null when neither is there. */
    public static @Nullable String action(JsonNode event) {
        String action = scalar(event.path("Action"));
        return action != null ? action : scalar(event.path("status"));
    }

    /** Whether the event names its actor ({@code Actor} is an object). */
    public static boolean hasActor(JsonNode event) {
        return event.path("Actor").isObject();
    }

    /** {@code Actor.ID}, else the older {@code id}. */
    public static @Nullable String actorId(JsonNode event) {
        String id = scalar(event.path("Actor").path("ID"));
        return id != null ? id : scalar(event.path("id"));
    }

    /** {@code Actor.Attributes}: the container's labels, and name, image, exitCode, signal... ; empty when absent. */
    public static Map<String, String> attributes(JsonNode event) {
        JsonNode node = event.path("Actor").path("Attributes");
        if (!node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> {
            String value = scalar(e.getValue());
            if (value != null) {
                out.put(e.getKey(), value);
            }
        });
        return out;
    }

    /** When it happened, in epoch milliseconds: {@code timeNano}, else {@code time} (seconds), else now. */
    public static long millis(JsonNode event) {
        JsonNode nanos = event.path("timeNano");
        if (nanos.isIntegralNumber()) {
            return nanos.asLong() / 1_000_000L;
        }
        JsonNode seconds = event.path("time");
        if (seconds.isIntegralNumber()) {
            return seconds.asLong() * 1000L;
        }
        return System.currentTimeMillis();
    }

    /** A string, number or boolean as text (as Jackson binds one to a String); null for null, absent, an array or an object. */
    private static @Nullable String scalar(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
