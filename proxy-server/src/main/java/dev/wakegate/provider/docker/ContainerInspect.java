package dev.wakegate.provider.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.provider.WorkloadInfo;

import java.util.concurrent.CompletableFuture;

/**
 * {@code docker inspect}: the container a name resolves to, as the engine describes it now (so
 * health, healthcheck and exit code are exact); {@link WorkloadInfo#missing} when there is none.
 */
final class ContainerInspect {
    private final EngineCalls calls;
    private final ContainerNames names;
    private final EngineJson engine;

    ContainerInspect(EngineCalls calls, ContainerNames names, EngineJson engine) {
        this.calls = calls;
        this.names = names;
        this.engine = engine;
    }

    CompletableFuture<WorkloadInfo> inspect(String name) {
        return calls.call(name, () -> {
            try {
                // resolving by name has described the container already: no second request then
                return names.onContainer(name, (id, described) ->
                        ContainerInfos.fromInspect(described != null ? described : engine.inspect(id)));
            } catch (NotFoundException none) {
                return WorkloadInfo.missing(name);
            }
        });
    }
}
