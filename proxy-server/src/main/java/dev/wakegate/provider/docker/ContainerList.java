package dev.wakegate.provider.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.wakegate.provider.WorkloadInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code docker ps -a}, each container then inspected so that health, healthcheck and exit code
 * are exact. One list and one inspect per container, bounded together as one call.
 */
final class ContainerList {
    private final EngineCalls calls;
    private final DockerClient client;

    ContainerList(EngineCalls calls, DockerClient client) {
        this.calls = calls;
        this.client = client;
    }

    CompletableFuture<List<WorkloadInfo>> list() {
        return calls.call(null, () -> {
            List<Container> containers = client.listContainersCmd().withShowAll(true).exec();
            List<WorkloadInfo> infos = new ArrayList<>(containers.size());
            for (Container c : containers) {
                try {
                    infos.add(ContainerInfos.fromInspect(client.inspectContainerCmd(c.getId()).exec()));
                } catch (NotFoundException removedMeanwhile) {
                    // gone between list and inspect: not part of the snapshot
                }
            }
            return infos;
        });
    }
}
