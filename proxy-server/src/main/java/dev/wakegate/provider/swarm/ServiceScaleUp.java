package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.provider.docker.EngineCalls;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A wake: {@code docker service scale NAME=N} with N from {@link ServiceInfos#wakeReplicas}.
 * Completes once the engine has accepted the new count (its tasks are then being scheduled; the
 * lifecycle waits for them); a service already at N is left as it is. A concurrent update of the
 * service (the engine refuses a stale version) is retried once on the fresh spec.
 */
final class ServiceScaleUp {
    private final EngineCalls calls;
    private final SwarmApi api;
    private final Function<String, OptionalInt> configuredReplicas;

    ServiceScaleUp(EngineCalls calls, SwarmApi api, Function<String, OptionalInt> configuredReplicas) {
        this.calls = calls;
        this.api = api;
        this.configuredReplicas = configuredReplicas;
    }

    CompletableFuture<Void> start(String name) {
        return calls.call(name, () -> {
            try {
                scale(name);
            } catch (NotFoundException removedMeanwhile) {
                throw ServiceScaling.missing(name);
            } catch (DockerException e) {
                if (!ServiceScaling.outOfSequence(e)) {
                    throw e;
                }
                scale(name); // someone updated it between our read and our write: once more, on theirs
            }
            return null;
        });
    }

    private void scale(String name) throws Exception {
        JsonNode service = ServiceScaling.replicated(name, api.service(name));
        int target = ServiceInfos.wakeReplicas(configuredReplicas.apply(name), service);
        if (ServiceInfos.replicas(service) == target) {
            return;
        }
        ObjectNode spec = service.path("Spec").deepCopy();
        ServiceScaling.setReplicas(spec, target);
        api.update(service.path("ID").asText(), service.path("Version").path("Index").asLong(), spec);
    }
}
