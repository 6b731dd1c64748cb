package dev.wakegate.provider.docker;

import com.github.dockerjava.api.DockerClient;
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
    private final DockerClient client;

    ContainerInspect(EngineCalls calls, ContainerNames names, DockerClient client) {
        this.calls = calls;
        this.names = names;
        this.client = client;
    }

    CompletableFuture<WorkloadInfo> inspect(String name) {
        return calls.call(name, () -> {
            try {
                // resolving by name has described the container already: no second request then
                return names.onContainer(name, (id, described) ->
                        ContainerInfos.fromInspect(described != null ? described : client.inspectContainerCmd(id).exec()));
            } catch (NotFoundException none) {
                return WorkloadInfo.missing(name);
            }
        });
    }
}
