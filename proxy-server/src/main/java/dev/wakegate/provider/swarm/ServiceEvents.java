package dev.wakegate.provider.swarm;

import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.docker.EventFeed;
import org.jspecify.annotations.Nullable;

/**
 * {@code docker events --filter type=service --filter type=container}: services created, updated
 * and removed, and their tasks' containers starting and dying ({@link ServiceInfos#fromEvent}), as
 * an {@link EventFeed} delivers them. Containers that are no task of a service are dropped here.
 */
final class ServiceEvents implements EventFeed.Source {
    private static final String[] FOLLOWED = {"create", "update", "remove", "start", "die"};

    @Override
    public EventsCmd filter(EventsCmd cmd) {
        return cmd.withEventTypeFilter(EventType.SERVICE, EventType.CONTAINER).withEventFilter(FOLLOWED);
    }

    @Override
    public @Nullable WorkloadEvent map(Event event) {
        return ServiceInfos.fromEvent(event);
    }
}
