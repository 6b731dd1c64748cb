package dev.wakegate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One YAML mapping being read by {@link ConfigLoader}: knows its file and key path, so every
 * conversion error names {@code file}, {@code key} (e.g. {@code routes[2].upstream}) and the reason,
 * and refuses keys it was not told about.
 */
final class YamlSection {
    /** The longest duration any key takes. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private final String file;
    private final String path;
    private final @Nullable JsonNode node; // an ObjectNode, or null for an absent section

    private YamlSection(String file, String path, @Nullable JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * Wraps {@code node} (null or YAML null means an empty section) after checking that it is a
     * mapping whose keys are all in {@code allowed}, the section's entry in {@link ConfigKeys}.
     */
    static YamlSection of(String file, String path, @Nullable JsonNode node, ConfigKeys.Section allowed) throws ConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new YamlSection(file, path, null);
        }
        if (!node.isObject()) {
            throw new ConfigException(file, path.isEmpty() ? "(root)" : path,
                    "expected a mapping (key: value), got " + describe(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.allows(key)) {
                throw new ConfigException(file, join(path, key),
                        "unknown key (expected one of " + String.join(", ", new TreeSet<>(allowed.keys())) + ")");
            }
        }
        return new YamlSection(file, path, node);
    }

    /** Like {@link #of} but any key is allowed (a mapping keyed by names, such as {@code containers:}). */
    static YamlSection anyKeys(String file, String path, @Nullable JsonNode node) throws ConfigException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new YamlSection(file, path, null);
        }
        if (!node.isObject()) {
            throw new ConfigException(file, path, "expected a mapping (key: value), got " + describe(node));
        }
        return new YamlSection(file, path, node);
    }

    YamlSection anyKeys(String key) throws ConfigException {
        return anyKeys(file, keyPath(key), get(key));
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    String keyPath(String key) {
        return join(path, key);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigException error(String key, String reason) {
        return new ConfigException(file, keyPath(key), reason);
    }

    /** The value under {@code key}; null when absent or written as YAML null. */
    @Nullable JsonNode get(String key) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    YamlSection section(String key, ConfigKeys.Section allowed) throws ConfigException {
        return of(file, keyPath(key), get(key), allowed);
    }

    /** How one kind of value is read from its node, refusals naming the file and the key path. */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(String file, String keyPath, JsonNode v) throws ConfigException;
    }

    /** The value under {@code key} as {@code reader} reads it, or {@code fallback} when absent. */
    private <T> T value(String key, ValueReader<T> reader, T fallback) throws ConfigException {
        T t = optional(key, reader);
        return t == null ? fallback : t;
    }

    /** The value under {@code key} as {@code reader} reads it; null when absent. */
    private <T> @Nullable T optional(String key, ValueReader<T> reader) throws ConfigException {
        JsonNode v = get(key);
        return v == null ? null : reader.read(file, keyPath(key), v);
    }

    String string(String key, String fallback) throws ConfigException {
        return value(key, YamlSection::text, fallback);
    }

    /** The text under {@code key}; null when absent. */
    @Nullable String optString(String key) throws ConfigException {
        return optional(key, YamlSection::text);
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    int integer(String key, int fallback, int min) throws ConfigException {
        return integer(key, fallback, min, Integer.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}. */
    int integer(String key, int fallback, int min, int max) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw error(key, "expected an integer, got " + describe(v));
        }
        if (!v.canConvertToInt() || v.intValue() > max) {
            throw error(key, "must be at most " + max + ", got " + v.asText());
        }
        int n = v.intValue();
        if (n < min) {
            throw error(key, "must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** A positive duration ({@code 500ms}, {@code 45s}, {@code 30m}, {@code 2h}). */
    Duration duration(String key, Duration fallback) throws ConfigException {
        return value(key, YamlSection::duration, fallback);
    }

    /** The duration under {@code key}; null when absent. */
    @Nullable Duration optDuration(String key) throws ConfigException {
        return optional(key, YamlSection::duration);
    }

    /** A duration of at least {@code min}. */
    Duration duration(String key, Duration fallback, Duration min) throws ConfigException {
        Duration d = duration(key, fallback);
        if (d.compareTo(min) < 0) {
            throw error(key, "must be at least " + Durations.format(min) + ", got " + Durations.format(d));
        }
        return d;
    }

    static Duration duration(String file, String keyPath, JsonNode v) throws ConfigException {
        if (v.isNumber()) {
            throw new ConfigException(file, keyPath, "expected a duration with a unit like 500ms, 45s, 30m or 2h, got " + v.asText());
        }
        Duration d;
        try {
            d = Durations.parse(text(file, keyPath, v));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, keyPath, String.valueOf(e.getMessage()));
        }
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(file, keyPath, "must be greater than zero");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            // timers count in nanoseconds; nothing here means anything beyond a year
            throw new ConfigException(file, keyPath, "must be at most " + Durations.format(MAX_DURATION)
                    + ", got " + v.asText());
        }
        return d;
    }

    /** A byte count: a plain integer or a size like {@code 64KiB}, {@code 1MiB}. */
    int size(String key, int fallback) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        long n = sizeOf(key, v);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw error(key, "must be between 1 and " + Integer.MAX_VALUE + " bytes, got " + v.asText());
        }
        return (int) n;
    }

    /**
     * A byte count that may be 0 (off): a plain integer or a size like {@code 512MiB}; up to
     * {@code Long.MAX_VALUE} bytes.
     */
    long bytes(String key, long fallback) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isIntegralNumber() && !v.canConvertToLong()) {
            throw error(key, "size " + v.asText() + " is too large");
        }
        long n = sizeOf(key, v);
        if (n < 0) {
            throw error(key, "must be 0 (off) or a positive size like 512MiB, got " + v.asText());
        }
        return n;
    }

    /** {@code v} as bytes: a plain integer (Long.MAX_VALUE when larger) or a size like {@code 64KiB}. */
    private long sizeOf(String key, JsonNode v) throws ConfigException {
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? v.longValue() : Long.MAX_VALUE;
        }
        try {
            return Sizes.parse(text(file, keyPath(key), v));
        } catch (IllegalArgumentException e) {
            throw error(key, String.valueOf(e.getMessage()));
        }
    }

    HostPort hostPort(String key, HostPort fallback) throws ConfigException {
        return value(key, YamlSection::hostPort, fallback);
    }

    /** The HOST:PORT under {@code key}; null when absent. */
    @Nullable HostPort optHostPort(String key) throws ConfigException {
        return optional(key, YamlSection::hostPort);
    }

    static HostPort hostPort(String file, String keyPath, JsonNode v) throws ConfigException {
        try {
            return HostPort.parse(text(file, keyPath, v));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, keyPath, String.valueOf(e.getMessage()));
        }
    }

    /** The elements of a YAML sequence; empty when absent. */
    List<JsonNode> list(String key) throws ConfigException {
        JsonNode v = get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw error(key, "expected a list, got " + describe(v));
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        v.forEach(out::add);
        return out;
    }

    /** A sequence of non-empty strings, each checked with {@link #text}. */
    List<String> strings(String key) throws ConfigException {
        List<JsonNode> items = list(key);
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(text(file, keyPath(key) + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    /** The keys of this mapping, in document order. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /** A non-blank scalar as text; numbers are refused so that {@code port: 80} style slips read clearly. */
    static String text(String file, String keyPath, JsonNode v) throws ConfigException {
        if (v == null || v.isNull()) {
            throw new ConfigException(file, keyPath, "is empty");
        }
        if (!v.isTextual()) {
            throw new ConfigException(file, keyPath, "expected text, got " + describe(v));
        }
        String s = v.textValue().trim();
        if (s.isEmpty()) {
            throw new ConfigException(file, keyPath, "is empty");
        }
        return s;
    }

    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isTextual()) {
            return "'" + v.textValue() + "'";
        }
        return v.asText();
    }
}
