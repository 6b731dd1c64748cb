package dev.wakegate.provider.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.config.Durations;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.docker.EngineCalls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A sleep: {@code docker service scale NAME=0}, remembering the count it had in the service's own
 * label {@link LabelConfig#LAST_REPLICAS} (in the same update, so the two never disagree, and so
 * every proxy and a restarted one know it without Redis). Then, like {@code docker stop}, it
 * answers once the service's tasks are off their nodes: Swarm stops them with the service's own
 * stop signal and grace period, so the wait is bounded by the longer of that grace and the
 * lifecycle's, and the call by that plus the call timeout. A service at 0 already is left as it is.
 */
final class ServiceScaleDown {
    /** How often the tasks are listed while they stop. */
    static final Duration TASK_POLL = Duration.ofMillis(50);

    private final EngineCalls calls;
    private final SwarmApi api;

    ServiceScaleDown(EngineCalls calls, SwarmApi api) {
        this.calls = calls;
        this.api = api;
    }

    CompletableFuture<Void> stop(String name, Duration grace) {
        // The service's own grace is known only once it is read: the call's bound allows for Swarm's
        // default, and a longer grace of its own shortens nothing but is cut at the bound.
        Duration wait = max(grace, ServiceInfos.DEFAULT_STOP_GRACE);
        return calls.call(name, wait.plus(calls.callTimeout()), () -> {
            JsonNode service;
            try {
                service = scaleToZero(name);
            } catch (NotFoundException removedMeanwhile) {
                throw ServiceScaling.missing(name);
            } catch (DockerException e) {
                if (!ServiceScaling.outOfSequence(e)) {
                    throw e;
                }
                service = scaleToZero(name);
            }
            awaitTasksGone(name, service.path("ID").asText(), max(grace, ServiceInfos.stopGrace(service)), wait);
            return null;
        });
    }

    private JsonNode scaleToZero(String name) throws Exception {
        JsonNode service = ServiceScaling.replicated(name, api.service(name));
        int current = ServiceInfos.replicas(service);
        if (current == 0) {
            return service;
        }
        ObjectNode spec = service.path("Spec").deepCopy();
        ServiceScaling.setReplicas(spec, 0);
        spec.with("Labels").put(LabelConfig.LAST_REPLICAS, Integer.toString(current));
        api.update(service.path("ID").asText(), service.path("Version").path("Index").asLong(), spec);
        return service;
    }

    private void awaitTasksGone(String name, String id, Duration grace, Duration bound) throws Exception {
        Duration limit = grace.compareTo(bound) < 0 ? grace : bound;
        long deadline = System.nanoTime() + limit.toNanos() + TASK_POLL.toNanos();
        while (true) {
            int left;
            try {
                left = ServiceInfos.onNode(api.tasks(id));
            } catch (NotFoundException removed) {
                return; // the service was removed meanwhile: its tasks go with it
            }
            if (left == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StartFailure(name, StartFailure.Kind.FAILED, left + " task(s) still running "
                        + Durations.format(limit) + " after scaling to 0");
            }
            Thread.sleep(TASK_POLL.toMillis());
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
