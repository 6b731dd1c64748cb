package dev.wakegate.provider.docker;

import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.wakegate.provider.WorkloadEvent;
import org.jspecify.annotations.Nullable;

/**
 * {@code docker events --filter type=container}: the container events the lifecycle follows
 * (create, start, kill, die, stop, destroy, health status), as an {@link EventFeed} delivers them.
 * While a stream is connected, {@link ContainerNames} may cache resolutions; each event about a
 * container drops what its names resolved to.
 */
final class ContainerEvents implements EventFeed.Source {
    private static final String[] FOLLOWED = {"create", "start", "kill", "die", "stop", "pause", "unpause", "destroy", "health_status"};

    private final ContainerNames names;

    ContainerEvents(ContainerNames names) {
        this.names = names;
    }

    @Override
    public EventsCmd filter(EventsCmd cmd) {
        return cmd.withEventTypeFilter(EventType.CONTAINER).withEventFilter(FOLLOWED);
    }

    @Override
    public @Nullable WorkloadEvent map(Event event) {
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
