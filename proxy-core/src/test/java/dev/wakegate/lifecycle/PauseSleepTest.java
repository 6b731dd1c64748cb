package dev.wakegate.lifecycle;

import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Priority;
import dev.wakegate.config.SleepMode;
import dev.wakegate.config.SleepPolicy;
import dev.wakegate.provider.WorkloadEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sleep: pause} over the fakes: the same idle rule, cordon and single flight as a stop, with pause/unpause. */
class PauseSleepTest {
    private static final SleepPolicy PAUSE = new SleepPolicy(SleepMode.PAUSE, List.of(), Optional.empty());

    private static Harness pausing(Harness h, String... names) {
        for (String n : names) {
            if (!h.specs.containsKey(n)) {
                h.container(n);
            }
            h.sleep(n, PAUSE);
            h.provider.add(n, RUNNING, false);
        }
        return h;
    }

    @Test
    void anIdlePauseContainerIsPausedNotStoppedAndARequestUnpausesIt() {
        Harness h = pausing(new Harness(), "app").start();
        h.advance(Duration.ofMinutes(31));

        assertThat(h.provider.pauses).containsExactly("app");
        assertThat(h.provider.stops).isEmpty();
        assertThat(h.state("app")).isEqualTo(ContainerState.PAUSED);
        assertThat(h.state("app").reportedName()).isEqualTo("paused");
        assertThat(h.ready("app")).isFalse();
        assertThat(h.lifecycle.stats().snapshot().lastIdleCheck().stopped()).containsExactly("app");

        CompletableFuture<Void> woken = h.await("app");
        assertThat(woken).isCompleted();
        assertThat(h.provider.unpauses).containsExactly("app");
        assertThat(h.provider.starts).as("a paused container is woken by unpause, never started").isEmpty();
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void aPausedContainerIsNotPausedAgainNorCountedAsRunning() {
        Harness h = pausing(new Harness(), "app").start();
        h.advance(Duration.ofMinutes(31));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped()).containsEntry("app", "not running (paused)");
        assertThat(h.provider.pauses).containsExactly("app");
    }

    @Test
    void aRequestArrivingWhileThePauseIsUnderWayParksAndUnpausesItAfterwards() {
        Harness h = pausing(new Harness(), "app").start();
        h.provider.holdPauses = true;
        h.advance(Duration.ofMinutes(31));
        assertThat(h.provider.pauses).containsExactly("app");
        assertThat(h.ready("app")).isFalse();
        assertThat(h.state("app")).isEqualTo(ContainerState.STOPPING);

        CompletableFuture<Void> parked = h.await("app");
        assertThat(parked).isNotDone();
        assertThat(h.provider.unpauses).as("no unpause before the pause is over").isEmpty();

        h.provider.heldPauses.get(0).complete(null);
        h.scheduler.runPending();
        assertThat(h.provider.unpauses).containsExactly("app");
        assertThat(h.provider.starts).isEmpty();
        assertThat(parked).isCompleted();
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void aPauseAndUnpauseBySomeoneElseAreFollowedFromTheEvents() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        h.start();
        assertThat(h.ready("app")).isTrue();

        h.provider.set("app", dev.wakegate.provider.WorkloadInfo.Status.PAUSED,
                dev.wakegate.provider.WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.PAUSE, "app");
        h.scheduler.runPending();
        assertThat(h.state("app")).isEqualTo(ContainerState.PAUSED);
        assertThat(h.ready("app")).isFalse();

        h.provider.set("app", RUNNING, dev.wakegate.provider.WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.UNPAUSE, "app");
        h.scheduler.runPending();
        assertThat(h.ready("app")).isTrue();
        assertThat(h.provider.unpauses).as("wakegate did not touch it").isEmpty();
    }

    @Test
    void aContainerUnpausedBySomeoneElseIsProbedBeforeItTakesRequests() {
        Harness h = new Harness().container("api", Priority.NORMAL, "127.0.0.1:18081", HealthProbe.DEFAULT);
        h.provider.add("api", dev.wakegate.provider.WorkloadInfo.Status.PAUSED, false);
        h.start();
        assertThat(h.state("api")).isEqualTo(ContainerState.PAUSED);

        h.provider.set("api", RUNNING, dev.wakegate.provider.WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.UNPAUSE, "api");
        h.scheduler.runPending();
        assertThat(h.ready("api")).as("not ready until its probe answers").isFalse();
        h.probe.ready.put(HostPort.parse("127.0.0.1:18081"), true);
        h.advance(Duration.ofMillis(10));
        assertThat(h.ready("api")).isTrue();
    }

    @Test
    void aContainerPausedBySomeoneElseIsWokenByUnpauseOnARequestEvenWithSleepStop() {
        Harness h = new Harness().container("app");
        h.provider.add("app", dev.wakegate.provider.WorkloadInfo.Status.PAUSED, false);
        h.start();
        CompletableFuture<Void> woken = h.await("app");
        assertThat(woken).isCompleted();
        assertThat(h.provider.unpauses).containsExactly("app");
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void twoInstancesWakeAPausedContainerWithOneUnpause() {
        Harness a = pausing(new Harness(), "app").start();
        Harness b = new Harness(a).container("app").sleep("app", PAUSE).start();
        a.advance(Duration.ofMinutes(32));
        assertThat(a.provider.pauses).containsExactly("app");
        assertThat(a.state("app")).isEqualTo(ContainerState.PAUSED);
        assertThat(b.state("app")).isEqualTo(ContainerState.PAUSED);

        CompletableFuture<Void> viaA = a.gate().awaitReady(List.of("app"));
        CompletableFuture<Void> viaB = b.gate().awaitReady(List.of("app"));
        a.scheduler.runPending();
        a.advance(Duration.ofMillis(500));
        assertThat(viaA).isCompleted();
        assertThat(viaB).isCompleted();
        assertThat(a.provider.unpauses).as("one unpause under the start lease").containsExactly("app");
    }

    @Test
    void aDependencyIsNotPausedWhileADependantRunsButMayBeOnceTheDependantSleeps() {
        Harness h = new Harness()
                .container("db", Priority.LOW, null, HealthProbe.DEFAULT)
                .container("app", Priority.NORMAL, null, HealthProbe.DEFAULT, "db");
        pausing(h, "db", "app").start();
        h.advance(Duration.ofMinutes(11));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped().get("db")).startsWith("needed by app");
        assertThat(h.provider.pauses).isEmpty();

        h.advance(Duration.ofMinutes(20)); // app idle 31 min: paused; then db in the next check
        h.advance(Duration.ofMinutes(1));
        assertThat(h.provider.pauses).containsExactly("app", "db");

        CompletableFuture<Void> woken = h.await("app");
        assertThat(woken).isCompleted();
        assertThat(h.provider.unpauses).as("the dependency is woken before its dependant").containsExactly("db", "app");
    }

    @Test
    void aContainerInUseThroughAnotherInstanceIsNotPaused() {
        Harness a = pausing(new Harness(), "app").start();
        Harness b = new Harness(a).container("app").sleep("app", PAUSE).start();
        b.gate().requestStarted(List.of("app"));
        a.advance(Duration.ofMinutes(32));
        assertThat(a.provider.pauses).isEmpty();
        IdleCheckReport r = a.check(Duration.ZERO);
        assertThat(r.ranHere() ? r : b.check(Duration.ZERO)).satisfies(x ->
                assertThat(x.skipped().get("app")).contains("in use"));
        b.gate().requestEnded(List.of("app"));
        a.advance(Duration.ofMinutes(32));
        assertThat(a.provider.pauses).containsExactly("app");
    }

    @Test
    void aRequestThroughAnotherInstanceDuringThePauseParksBehindTheCordonAndUnpausesIt() {
        Harness a = pausing(new Harness(), "app").start();
        Harness b = new Harness(a).container("app").sleep("app", PAUSE).start();
        a.provider.holdPauses = true;
        a.advance(Duration.ofMinutes(31).plusSeconds(5)); // the 10:31 check, its cordon acknowledged
        assertThat(a.provider.pauses).containsExactly("app");
        assertThat(b.ready("app")).as("b honours the leader's cordon").isFalse();

        java.util.concurrent.CompletableFuture<Void> viaB = b.gate().awaitReady(List.of("app"));
        a.advance(Duration.ofMillis(500));
        assertThat(viaB).isNotDone();
        assertThat(a.provider.unpauses).isEmpty();

        a.provider.heldPauses.get(0).complete(null);
        a.advance(Duration.ofSeconds(2));
        assertThat(viaB).isCompleted();
        assertThat(a.provider.unpauses).containsExactly("app");
        assertThat(a.provider.starts).isEmpty();
    }

    @Test
    void aHealthcheckedContainerWokenFromPauseIsReadyByItsProbeNotItsStaleUnhealthyStatus() {
        HostPort up = HostPort.parse("127.0.0.1:18082");
        Harness a = new Harness().container("api", Priority.NORMAL, up.toString(), HealthProbe.DEFAULT);
        a.sleep("api", PAUSE);
        a.provider.add("api", RUNNING, true);
        a.provider.set("api", RUNNING, dev.wakegate.provider.WorkloadInfo.Health.HEALTHY, 0);
        a.probe.ready.put(up, true);
        a.start();
        Harness b = new Harness(a).container("api", Priority.NORMAL, up.toString(), HealthProbe.DEFAULT)
                .sleep("api", PAUSE).start();
        a.advance(Duration.ofMinutes(32));
        assertThat(a.provider.pauses).containsExactly("api");
        assertThat(a.provider.containers.get("api").health()).isEqualTo(dev.wakegate.provider.WorkloadInfo.Health.UNHEALTHY);

        CompletableFuture<Void> viaA = a.gate().awaitReady(List.of("api"));
        CompletableFuture<Void> viaB = b.gate().awaitReady(List.of("api"));
        a.advance(Duration.ofSeconds(1));
        assertThat(viaA).isCompleted();
        assertThat(viaB).as("the instance that watched the other's unpause").isCompleted();
        assertThat(a.provider.unpauses).containsExactly("api");
        assertThat(a.events).noneMatch(e -> e.startsWith("failed"));
        assertThat(b.events).noneMatch(e -> e.startsWith("failed"));
    }

    @Test
    void aProbeThatPassesWhileTheContainerIsStillPausedDoesNotMakeItReady() {
        // The kernel accepts connections for a frozen process: only the engine can say it is thawed.
        HostPort up = HostPort.parse("127.0.0.1:18083");
        Harness h = new Harness().container("api", Priority.NORMAL, up.toString(), HealthProbe.DEFAULT);
        h.provider.add("api", dev.wakegate.provider.WorkloadInfo.Status.PAUSED, false);
        h.probe.ready.put(up, true);
        h.start();
        h.store.tryAcquireLease("start:api", "another-instance", Duration.ofMinutes(5)).join(); // it wakes it

        CompletableFuture<Void> f = h.await("api");
        h.advance(Duration.ofSeconds(2));
        assertThat(f).isNotDone();
        assertThat(h.ready("api")).isFalse();
        assertThat(h.provider.unpauses).isEmpty();

        h.provider.set("api", RUNNING, dev.wakegate.provider.WorkloadInfo.Health.NONE, 0); // the other unpaused it
        h.provider.emit(WorkloadEvent.Type.UNPAUSE, "api");
        h.advance(Duration.ofMillis(10));
        assertThat(f).isCompleted();
        assertThat(h.ready("api")).isTrue();
    }
}
