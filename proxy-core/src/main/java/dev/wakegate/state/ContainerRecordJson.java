package dev.wakegate.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link ContainerRecord}, as stored in one field of the {@code container_states}
 * hash: {@code {"state":"running","priority":"normal","last_access":"2024-01-15T10:30:00Z",
 * "last_started":...,"last_stopped":...,"updated_by":"<instance>"}}.
 *
 * <p>All six keys are always written (absent values as {@code null}); instants are ISO-8601 UTC to
 * the second (the layout docs/redis.md shows, which other tools reading the hash rely on). Reading is lenient: unknown keys are ignored, a missing or
 * unparsable instant reads as null.
 */
public final class ContainerRecordJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ContainerRecordJson() {
    }

    public static String write(ContainerRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("state", record.state());
        node.put("priority", record.priority());
        node.put("last_access", format(record.lastAccess()));
        node.put("last_started", format(record.lastStarted()));
        node.put("last_stopped", format(record.lastStopped()));
        node.put("updated_by", record.updatedBy());
        return node.toString();
    }

    /** Parses one field's value; throws {@link IllegalArgumentException} when it is not a JSON object. */
    public static ContainerRecord read(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return new ContainerRecord(text(node, "state"), text(node, "priority"), instant(node, "last_access"),
                instant(node, "last_started"), instant(node, "last_stopped"), text(node, "updated_by"));
    }

    /** ISO-8601 UTC to the second ("2024-01-15T10:30:00Z"), or null. */
    public static @Nullable String format(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static @Nullable String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static @Nullable Instant instant(JsonNode node, String key) {
        String text = text(node, key);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
