package dev.wakegate.provider.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.wakegate.provider.WorkloadEvent;
import org.jspecify.annotations.Nullable;

import java.util.Comparator;
import java.util.List;
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
         * @param described the engine's description of it when resolving had to ask for it anyway
         *                  (resolution by name), else null
         */
        @Nullable T apply(String id, @Nullable InspectContainerResponse described);
    }

    private final DockerClient client;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();
    private final AtomicInteger liveStreams = new AtomicInteger();

    ContainerNames(DockerClient client) {
        this.client = client;
    }

    /**
     * Resolves {@code name} and applies {@code action} to the container.
     *
     * @throws NotFoundException when no container answers to the name (or it went away meanwhile)
     */
    <T> @Nullable T onContainer(String name, Action<T> action) {
        String cached = liveStreams.get() > 0 ? resolved.get(name) : null;
        if (cached != null) {
            try {
                return action.apply(cached, null);
            } catch (NotFoundException stale) {
                resolved.remove(name, cached);
            }
        }
        InspectContainerResponse byName = byName(name);
        String id = byName != null ? byName.getId() : byService(name);
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
    private @Nullable InspectContainerResponse byName(String name) {
        try {
            InspectContainerResponse r = client.inspectContainerCmd(name).exec();
            return name.equals(ContainerInfos.stripSlash(r.getName())) ? r : null;
        } catch (NotFoundException notAName) {
            return null;
        }
    }

    private @Nullable String byService(String name) {
        List<Container> byService = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerInfos.SERVICE_LABEL, name)).exec();
        return byService.stream()
                .min(Comparator.comparing((Container c) -> !"running".equals(c.getState()))
                        .thenComparing(c -> c.getCreated() == null ? 0L : -c.getCreated()))
                .map(Container::getId)
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
