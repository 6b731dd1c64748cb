package dev.wakegate.provider.docker;

import java.util.concurrent.CompletableFuture;

/** {@code docker start}: completes once the engine has accepted the start; a running container is left as it is (the engine answers 304). */
final class ContainerStart {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final EngineJson engine;

    ContainerStart(EngineCalls calls, ContainerNames names, EngineJson engine) {
        this.calls = calls;
        this.names = names;
        this.engine = engine;
    }

    CompletableFuture<Void> start(String name) {
        return calls.call(name, () -> names.onContainer(name, (id, described) -> {
            engine.verb(id, "start");
            return null;
        }));
    }
}
