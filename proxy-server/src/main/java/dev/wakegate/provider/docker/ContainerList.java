package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.provider.WorkloadInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code docker ps -a}, each container then inspected so that health, healthcheck and exit code
 * are exact. One list and one inspect per container, bounded together as one call. Read as JSON
 * trees ({@link EngineJson}): this is the listing the proxy waits for before it accepts connections.
 */
final class ContainerList {
    private final EngineCalls calls;
    private final EngineJson engine;

    ContainerList(EngineCalls calls, EngineJson engine) {
        this.calls = calls;
        this.engine = engine;
    }

    CompletableFuture<List<WorkloadInfo>> list() {
        return calls.call(null, () -> {
            List<JsonNode> containers = engine.listAll();
            List<WorkloadInfo> infos = new ArrayList<>(containers.size());
            for (JsonNode c : containers) {
                try {
                    infos.add(ContainerInfos.fromInspect(engine.inspect(c.path("Id").asText())));
                } catch (NotFoundException removedMeanwhile) {
                    // gone between list and inspect: not part of the snapshot
                }
            }
            return infos;
        });
    }
}
