package dev.wakegate.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The container engine as the lifecycle sees it. Implemented with docker-java in proxy-server
 * ({@code DockerRuntime}) and by fakes in unit tests.
 *
 * <p>Every method returns at once; the work runs on the implementation's own executor and the
 * futures complete there. Callers on an event loop hop back with {@code eventLoop().execute}.
 * A name is a container name or a compose service name (label {@code com.docker.compose.service}).
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Starts the container; completes when the engine has accepted the start (not when it is ready). */
    CompletableFuture<Void> start(String name);

    /** Stops the container, waiting at most {@code grace} before the engine kills it. */
    CompletableFuture<Void> stop(String name, Duration grace);

    /** Current state; completes with {@link ContainerInfo#missing} when no such container exists. */
    CompletableFuture<ContainerInfo> inspect(String name);

    /** All containers the engine knows (running or not). */
    CompletableFuture<List<ContainerInfo>> list();

    /**
     * Follows the engine's event stream (create, start, die, stop, destroy, health_status),
     * reconnecting by itself; {@code listener} also receives {@link ContainerEvent.Type#RESYNC}
     * after each (re)connect, when the caller should {@link #list()} again, and
     * {@link ContainerEvent.Type#DISCONNECTED} when the engine went away.
     *
     * @return closes the subscription
     */
    AutoCloseable subscribe(Consumer<ContainerEvent> listener);

    @Override
    default void close() {
    }
}
