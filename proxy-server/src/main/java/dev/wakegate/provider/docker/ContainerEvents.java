package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.provider.WorkloadEvent;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * {@code docker events --filter type=container}: the container events the lifecycle follows
 * (create, start, kill, die, stop, destroy, health status), as an {@link EventFeed} delivers them.
 * While a stream is connected, {@link ContainerNames} may cache resolutions; each event about a
 * container drops what its names resolved to.
 */
final class ContainerEvents implements EventFeed.Source {
    private static final Map<String, List<String>> FILTERS = Map.of(
            "type", List.of("container"),
            "event", List.of("create", "start", "kill", "die", "stop", "pause", "unpause", "destroy", "health_status"));

    private final ContainerNames names;

    ContainerEvents(ContainerNames names) {
        this.names = names;
    }

    @Override
    public Map<String, List<String>> filters() {
        return FILTERS;
    }

    @Override
    public @Nullable WorkloadEvent map(JsonNode event) {
        return ContainerInfos.fromEvent(event);
    }

    @Override
    public void connected() {
        names.streamUp();
    }

    @Override
    public void disconnected() {
        names.streamDown();
    }

    @Override
    public void seen(WorkloadEvent e) {
        names.forget(e);
    }
}
