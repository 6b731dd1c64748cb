package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.docker.EngineCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code docker service ls} with every service's tasks: three requests ({@code /info} first), one
 * call. An engine that is not a swarm manager (or a socket proxy that does not allow these endpoints) has no
 * services to list: that is an empty list (said once in the log), not an engine failure, so a
 * proxy on a plain engine is not held up by it.
 */
final class ServiceList {
    private static final Logger log = LoggerFactory.getLogger(SwarmProvider.class);

    private final EngineCalls calls;
    private final SwarmApi api;
    private final AtomicBoolean notManagerSaid = new AtomicBoolean();

    ServiceList(EngineCalls calls, SwarmApi api) {
        this.calls = calls;
        this.api = api;
    }

    CompletableFuture<List<WorkloadInfo>> list() {
        return calls.call(null, () -> {
            List<JsonNode> services;
            try {
                if (!api.manager()) {
                    if (notManagerSaid.compareAndSet(false, true)) {
                        log.info("the docker engine is not a swarm manager: no services to manage");
                    }
                    return List.of();
                }
                services = api.services();
            } catch (DockerException refused) {
                // The engine (or a socket proxy in front of it) answered but lists no services:
                // not a swarm manager (503), or services not allowed (403). Containers go on.
                if (notManagerSaid.compareAndSet(false, true)) {
                    log.info("no swarm services to manage: {}", EngineCalls.engineMessage(refused));
                }
                return List.of();
            }
            notManagerSaid.set(false);
            Map<String, List<JsonNode>> tasksByService = new HashMap<>();
            for (JsonNode task : api.tasks(null)) {
                tasksByService.computeIfAbsent(task.path("ServiceID").asText(), k -> new ArrayList<>()).add(task);
            }
            List<WorkloadInfo> infos = new ArrayList<>(services.size());
            for (JsonNode s : services) {
                infos.add(ServiceInfos.fromService(s, tasksByService.getOrDefault(s.path("ID").asText(), List.of())));
            }
            return infos;
        });
    }
}
