package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.docker.EngineCalls;

import java.util.concurrent.CompletableFuture;

/**
 * {@code docker service inspect} and {@code docker service ps}: the service and its tasks as they
 * are now ({@link ServiceInfos#fromService}); {@link WorkloadInfo#missing} when there is no such
 * service. One call, two requests.
 */
final class ServiceInspect {
    private final EngineCalls calls;
    private final SwarmApi api;

    ServiceInspect(EngineCalls calls, SwarmApi api) {
        this.calls = calls;
        this.api = api;
    }

    CompletableFuture<WorkloadInfo> inspect(String name) {
        return calls.call(name, () -> {
            JsonNode service = api.service(name);
            if (service == null) {
                return WorkloadInfo.missing(name);
            }
            try {
                return ServiceInfos.fromService(service, api.tasks(service.path("ID").asText()));
            } catch (NotFoundException removedMeanwhile) {
                return WorkloadInfo.missing(name);
            }
        });
    }
}
