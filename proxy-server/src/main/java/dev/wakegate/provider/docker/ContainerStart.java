package dev.wakegate.provider.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotModifiedException;

import java.util.concurrent.CompletableFuture;

/** {@code docker start}: completes once the engine has accepted the start; a running container is left as it is. */
final class ContainerStart {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final DockerClient client;

    ContainerStart(EngineCalls calls, ContainerNames names, DockerClient client) {
        this.calls = calls;
        this.names = names;
        this.client = client;
    }

    CompletableFuture<Void> start(String name) {
        return calls.call(name, () -> names.onContainer(name, (id, described) -> {
            try {
                client.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // the goal state holds already
            }
            return null;
        }));
    }
}
