package dev.wakegate.provider.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;

import java.util.concurrent.CompletableFuture;

/**
 * {@code docker pause}: the engine freezes the container's processes (cgroup freezer: memory kept,
 * no CPU) and answers once they are frozen. A container paused already is left as it is; pausing
 * one that does not run is the engine's refusal ("is not running"), in its own words.
 */
final class ContainerPause {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final EngineJson engine;

    ContainerPause(EngineCalls calls, ContainerNames names, EngineJson engine) {
        this.calls = calls;
        this.names = names;
        this.engine = engine;
    }

    CompletableFuture<Void> pause(String name) {
        return calls.call(name, () -> names.onContainer(name, (id, described) -> {
            try {
                engine.verb(id, "pause");
            } catch (DockerException e) {
                if (e instanceof NotFoundException) {
                    throw e;
                }
                // "already paused" and "is not running" alike (409, or 500 on engine 20.10):
                // the engine's state tells them apart
                if (!ContainerInfos.paused(engine.inspect(id))) {
                    throw e;
                }
            }
            return null;
        }));
    }
}
