package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.provider.WorkloadEvent;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which container a name stands for: the container with exactly that name, else one carrying the
 * compose label {@code com.docker.compose.service=name} (a running one first, then the newest).
 *
 * <p>Resolutions are cached only while an event stream is connected, since only the stream tells
 * when they go stale ({@link #forget}); a cached id the engine no longer knows is dropped and the
 * name resolved afresh once. Runs on the call workers.
 */
final class ContainerNames {

    /** What to do with the container once found. */
    @FunctionalInterface
    interface Action<T> {
        /**
         * @param id        the container's id
         * @param described the engine's description of it (its inspect JSON) when resolving had to
         *                  ask for it anyway (resolution by name), else null
         */
        @Nullable T apply(String id, @Nullable JsonNode described) throws IOException;
    }

    private final EngineJson engine;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();
    private final AtomicInteger liveStreams = new AtomicInteger();

    ContainerNames(EngineJson engine) {
        this.engine = engine;
    }

    /**
     * Resolves {@code name} and applies {@code action} to the container.
     *
     * @throws NotFoundException when no container answers to the name (or it went away meanwhile)
     * @throws IOException        when the engine cannot be read
     */
    <T> @Nullable T onContainer(String name, Action<T> action) throws IOException {
        String cached = liveStreams.get() > 0 ? resolved.get(name) : null;
        if (cached != null) {
            try {
                return action.apply(cached, null);
            } catch (NotFoundException stale) {
                resolved.remove(name, cached);
            }
        }
        JsonNode byName = byName(name);
        String id = byName != null ? byName.path("Id").asText() : byService(name);
        if (id == null) {
            throw new NotFoundException("no such container " + name);
        }
        @Nullable T result = action.apply(id, byName);
        if (liveStreams.get() > 0) {
            resolved.put(name, id);
        }
        return result;
    }

    /** The container named exactly {@code name}; the engine also matches id prefixes, which do not count. */
    private @Nullable JsonNode byName(String name) throws IOException {
        try {
            JsonNode r = engine.inspect(name);
            return name.equals(ContainerInfos.stripSlash(r.path("Name").asText())) ? r : null;
        } catch (NotFoundException notAName) {
            return null;
        }
    }

    private @Nullable String byService(String name) throws IOException {
        return engine.list(ContainerInfos.SERVICE_LABEL, name).stream()
                .min(Comparator.comparing((JsonNode c) -> !"running".equals(c.path("State").asText()))
                        .thenComparing(c -> -c.path("Created").asLong(0)))
                .map(c -> c.path("Id").asText())
                .orElse(null);
    }

    /** An event stream connected: resolutions may be cached, it will say when they go stale. */
    void streamUp() {
        liveStreams.incrementAndGet();
    }

    /** An event stream is gone: what was cached may go stale unseen. */
    void streamDown() {
        liveStreams.decrementAndGet();
        resolved.clear();
    }

    /** An event about a container: whatever its names resolved to may have changed. */
    void forget(WorkloadEvent e) {
        if (e.name() != null) {
            resolved.remove(e.name());
        }
        if (e.service() != null) {
            resolved.remove(e.service());
        }
    }
}
