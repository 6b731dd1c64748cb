package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.docker.EventFeed;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * {@code docker events --filter type=service --filter type=container}: services created, updated
 * and removed, and their tasks' containers starting and dying ({@link ServiceInfos#fromEvent}), as
 * an {@link EventFeed} delivers them. Containers that are no task of a service are dropped here.
 */
final class ServiceEvents implements EventFeed.Source {
    private static final Map<String, List<String>> FILTERS = Map.of(
            "type", List.of("service", "container"),
            "event", List.of("create", "update", "remove", "start", "die"));

    @Override
    public Map<String, List<String>> filters() {
        return FILTERS;
    }

    @Override
    public @Nullable WorkloadEvent map(JsonNode event) {
        return ServiceInfos.fromEvent(event);
    }
}
