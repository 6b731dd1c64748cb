package dev.wakegate.lifecycle;

import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Priority;
import dev.wakegate.config.SleepPolicy;
import dev.wakegate.config.Workload;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.provider.WorkloadInfo.Status.CREATED;
import static dev.wakegate.provider.WorkloadInfo.Status.EXITED;
import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness of a {@code kind: service} entry (a Swarm service): the provider says "running" only
 * once every replica runs, and one replica answering the probe before that is not the service
 * awake; a task's container starting is one replica, not the service ready.
 */
class SwarmServiceReadinessTest {

    private static ContainerSpec service(String name, String upstream) {
        return new ContainerSpec(name, Priority.NORMAL,
                upstream == null ? Optional.empty() : Optional.of(HostPort.parse(upstream)), HealthProbe.DEFAULT,
                List.of(), Optional.empty(), false, SleepPolicy.DEFAULT, Workload.service(OptionalInt.of(2)));
    }

    @Test
    void aServiceIsReadyOnlyOnceEveryReplicaRunsThoughItsFirstReplicaAnswersBefore() {
        HostPort upstream = HostPort.parse("127.0.0.1:9031");
        Harness h = new Harness();
        h.specs.put("web", service("web", upstream.toString()));
        h.provider.add("web", EXITED, false);
        h.provider.statusOnStart = CREATED; // scaled up: the replicas are being scheduled
        h.probe.ready.put(upstream, true); // the first replica answers at once
        h.start();

        CompletableFuture<Void> request = h.await("web");
        h.advance(Duration.ofSeconds(1));
        assertThat(h.provider.starts).containsExactly("web");
        assertThat(request).as("one replica answering is not the service awake").isNotDone();
        assertThat(h.ready("web")).isFalse();

        h.provider.set("web", RUNNING, WorkloadInfo.Health.NONE, 0); // every replica runs
        h.advance(Duration.ofMillis(300));
        assertThat(request).isCompleted();
        assertThat(h.ready("web")).isTrue();
        assertThat(h.probe.tcpCalls.get()).as("then the usual probe").isPositive();
        assertThat(h.provider.starts).as("one scale-up").containsExactly("web");
    }

    @Test
    void aServiceWhoseReplicasRunIsStillProbedBeforeItIsReady() {
        HostPort upstream = HostPort.parse("127.0.0.1:9032");
        Harness h = new Harness();
        h.specs.put("web", service("web", upstream.toString()));
        h.provider.add("web", EXITED, false);
        h.start();

        CompletableFuture<Void> request = h.await("web");
        h.advance(Duration.ofSeconds(1));
        assertThat(request).as("replicas run, the upstream does not answer yet").isNotDone();

        h.probe.ready.put(upstream, true);
        h.advance(Duration.ofMillis(300));
        assertThat(request).isCompleted();
    }

    @Test
    void aTaskStartedBySomeoneElseIsOneReplicaNotTheServiceReady() {
        Harness h = new Harness();
        h.specs.put("worker", service("worker", null));
        h.provider.add("worker", EXITED, false);
        h.start();

        h.provider.emit(WorkloadEvent.Type.START, "worker");
        h.scheduler.runPending();
        assertThat(h.state("worker")).isEqualTo(ContainerState.RUNNING);
        assertThat(h.ready("worker")).isFalse();

        // a request asks the engine, which says every replica runs: ready without a probe (no upstream)
        h.provider.set("worker", RUNNING, WorkloadInfo.Health.NONE, 0);
        CompletableFuture<Void> request = h.await("worker");
        h.advance(Duration.ofMillis(300));
        assertThat(request).isCompleted();
        assertThat(h.provider.starts).as("nothing to scale: it runs").isEmpty();
    }
}
