package dev.wakegate.provider.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;

import java.util.concurrent.CompletableFuture;

/**
 * {@code docker unpause}: the engine thaws the container's frozen processes and answers once they
 * run again. A container that is not paused (someone unpaused it first) is left as it is: the goal,
 * "not paused", holds, and whether it runs is for the caller's next inspect to say.
 */
final class ContainerUnpause {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final EngineJson engine;

    ContainerUnpause(EngineCalls calls, ContainerNames names, EngineJson engine) {
        this.calls = calls;
        this.names = names;
        this.engine = engine;
    }

    CompletableFuture<Void> unpause(String name) {
        return calls.call(name, () -> names.onContainer(name, (id, described) -> {
            try {
                engine.verb(id, "unpause");
            } catch (DockerException e) {
                if (e instanceof NotFoundException) {
                    throw e;
                }
                // "is not paused" (409, or 500 on engine 20.10): the goal state holds already
                if (ContainerInfos.paused(engine.inspect(id))) {
                    throw e;
                }
            }
            return null;
        }));
    }
}
