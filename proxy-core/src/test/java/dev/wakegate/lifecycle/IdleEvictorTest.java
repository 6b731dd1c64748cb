package dev.wakegate.lifecycle;

import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.Priority;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

class IdleEvictorTest {

    private static Harness running(Harness h, String... names) {
        for (String n : names) {
            h.provider.add(n, RUNNING, false);
        }
        return h;
    }

    private static IdleCheckReport checkNow(Harness h) {
        CompletableFuture<IdleCheckReport> f = h.lifecycle.runIdleCheckNow();
        h.scheduler.runPending();
        assertThat(f).isCompleted();
        return f.join();
    }

    @Test
    void stopsAContainerIdleLongerThanItsPrioritysTimeout() {
        Harness h = new Harness()
                .container("low", Priority.LOW, null, HealthProbe.DEFAULT)
                .container("normal", Priority.NORMAL, null, HealthProbe.DEFAULT)
                .container("high", Priority.HIGH, null, HealthProbe.DEFAULT);
        running(h, "low", "normal", "high").start();

        h.advance(Duration.ofMinutes(9));
        assertThat(h.provider.stops).isEmpty();
        h.advance(Duration.ofMinutes(2)); // 11 minutes: past LOW's 10
        assertThat(h.provider.stops).containsExactly("low");
        h.advance(Duration.ofMinutes(20)); // 31 minutes: past NORMAL's 30
        assertThat(h.provider.stops).containsExactly("low", "normal");
        assertThat(h.state("high")).isEqualTo(ContainerState.READY);
        assertThat(h.state("low")).isEqualTo(ContainerState.STOPPED);
        assertThat(h.events).contains("stopped low", "stopped normal");
    }

    @Test
    void accessResetsTheIdleClock() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.advance(Duration.ofMinutes(20));
        h.gate().requestStarted(List.of("app"));
        h.gate().requestEnded(List.of("app"));
        h.advance(Duration.ofMinutes(20));
        assertThat(h.provider.stops).isEmpty();
        h.advance(Duration.ofMinutes(11));
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void requestThatIsNotActivityLeavesTheIdleClockRunning() {
        Harness h = running(new Harness().container("app"), "app").start();
        for (int i = 0; i < 30; i++) { // a monitor, every minute
            h.advance(Duration.ofMinutes(1));
            h.gate().requestStarted(List.of("app"), false);
            h.gate().requestEnded(List.of("app"), false);
        }
        h.advance(Duration.ofMinutes(1));
        assertThat(h.provider.stops).containsExactly("app");
        assertThat(h.lifecycle.container("app").lastAccess()).isNull();
    }

    @Test
    void requestThatIsNotActivityIsStillNeverStoppedUnder() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.gate().requestStarted(List.of("app"), false);
        h.advance(Duration.ofMinutes(40));
        assertThat(h.provider.stops).isEmpty();
        assertThat(checkNow(h).skipped()).containsEntry("app", "1 request(s) in flight");
        h.gate().requestEnded(List.of("app"), false);
        h.advance(Duration.ofMinutes(1)); // idle since the start: its long request did not count
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void noStopWhileARequestIsInFlight() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.gate().requestStarted(List.of("app"));
        h.advance(Duration.ofMinutes(40));
        assertThat(h.provider.stops).isEmpty();
        assertThat(checkNow(h).skipped()).containsEntry("app", "1 request(s) in flight");
        h.gate().requestEnded(List.of("app"));
        h.advance(Duration.ofMinutes(31));
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void noStopWhileAConnectionIsOpen() {
        Harness h = running(new Harness().container("ws"), "ws").start();
        h.gate().connectionOpened(List.of("ws"));
        h.advance(Duration.ofMinutes(40));
        assertThat(h.provider.stops).isEmpty();
        assertThat(checkNow(h).skipped()).containsEntry("ws", "1 open connection(s)");
    }

    @Test
    void noStopWhileAnotherInstanceReportsUsage() {
        Harness g = running(new Harness().container("svc"), "svc").start();
        g.jump(Duration.ofMillis(Duration.ofMinutes(40).toMillis()));
        g.store.heartbeat("other", Map.of("svc", 2), Map.of(), Duration.ofSeconds(10));
        IdleCheckReport r = checkNow(g);
        assertThat(r.stopped()).isEmpty();
        assertThat(r.skipped()).containsEntry("svc", "in use by another instance");
        assertThat(g.provider.stops).isEmpty();
    }

    @Test
    void criticalIsNeverStopped() {
        Harness h = running(new Harness().container("db", Priority.CRITICAL, null, HealthProbe.DEFAULT), "db").start();
        h.advance(Duration.ofHours(10));
        assertThat(h.provider.stops).isEmpty();
        assertThat(checkNow(h).skipped()).containsEntry("db", "critical");
    }

    @Test
    void keepsMinRunningContainersRunning() {
        Harness h = new Harness().container("a").container("b").container("c");
        h.settings = Harness.settings(true, true, 5, 2);
        running(h, "a", "b", "c").start();
        h.advance(Duration.ofMinutes(45));
        assertThat(h.provider.stops).hasSize(1);
        assertThat(checkNow(h).skipped().values()).contains("min_running 2");
    }

    @Test
    void stopsAtMostMaxStopsPerCycleMostIdleFirst() {
        Harness h = new Harness().container("a").container("b").container("c");
        h.settings = Harness.settings(true, true, 2, 0);
        running(h, "a", "b", "c").start();
        // Access order: b oldest, then c, then a.
        h.gate().requestStarted(List.of("b"));
        h.gate().requestEnded(List.of("b"));
        h.jump(Duration.ofMillis(1000));
        h.gate().requestStarted(List.of("c"));
        h.gate().requestEnded(List.of("c"));
        h.jump(Duration.ofMillis(1000));
        h.gate().requestStarted(List.of("a"));
        h.gate().requestEnded(List.of("a"));
        h.jump(Duration.ofMillis(Duration.ofMinutes(31).toMillis()));

        IdleCheckReport r = checkNow(h);
        assertThat(r.stopped()).containsExactly("b", "c");
        assertThat(r.skipped()).containsEntry("a", "max_stops_per_cycle 2");
        assertThat(h.provider.stops).containsExactly("b", "c");
        assertThat(h.lifecycle.stats().snapshot().lastIdleCheck()).isEqualTo(r);
    }

    @Test
    void requestDuringStopWaitsAndStartsTheContainerAgain() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.provider.holdStops = true;
        h.advance(Duration.ofMinutes(31));
        assertThat(h.provider.stops).containsExactly("app");
        assertThat(h.ready("app")).isFalse();
        assertThat(h.lifecycle.container("app").cordoned()).isTrue();

        CompletableFuture<Void> parked = h.await("app");
        assertThat(parked).isNotDone();
        assertThat(h.provider.starts).isEmpty();

        h.provider.heldStops.get(0).complete(null);
        h.scheduler.runPending();
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(parked).isCompleted();
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void requestArrivingJustBeforeTheCordonCancelsTheStop() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.jump(Duration.ofMillis(Duration.ofMinutes(31).toMillis()));
        // The check runs on the lane; a request lands between its decision and the cordon.
        CompletableFuture<IdleCheckReport> f = h.lifecycle.runIdleCheckNow();
        h.gate().requestStarted(List.of("app"));
        h.scheduler.runPending();
        assertThat(h.provider.stops).isEmpty();
        assertThat(f.join().stopped()).isEmpty();
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void idleCheckLeaseHeldElsewhereMeansNoStopsHere() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.store.holdLease("idle-check", "other", Duration.ofHours(5));
        h.advance(Duration.ofMinutes(45));
        assertThat(h.provider.stops).isEmpty();
        IdleCheckReport r = checkNow(h);
        assertThat(r.ranHere()).isFalse();
        assertThat(r.note()).contains("another instance");
    }

    @Test
    void singleInstanceWithoutASharedStoreEvictsAsAlways() {
        Harness h = running(new Harness().container("app"), "app");
        h.store.shared = false;
        h.start();
        h.advance(Duration.ofMinutes(31));
        assertThat(h.provider.stops).containsExactly("app");
        assertThat(h.lifecycle.automation().eviction().suspended()).isFalse();
    }

    @Test
    void sharedLastAccessLoadedAtStartPreventsAnEarlyStop() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        // Another instance served it 25 minutes after T0; this instance starts 29 minutes after T0.
        h.store.putRawLastAccess("app", Harness.T0.plus(Duration.ofMinutes(25)));
        h.time().setMillis(Harness.T0.plus(Duration.ofMinutes(29)).toEpochMilli());
        h.start();
        assertThat(h.lifecycle.container("app").lastAccess()).isEqualTo(Harness.T0.plus(Duration.ofMinutes(25)));
        h.advance(Duration.ofMinutes(25)); // 54 min after T0: 29 min after the shared access
        assertThat(h.provider.stops).isEmpty();
        h.advance(Duration.ofMinutes(3));
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void lastAccessIsFlushedInBatchesNotPerRequest() {
        Harness h = running(new Harness().container("app"), "app").start();
        for (int i = 0; i < 1000; i++) {
            h.gate().requestStarted(List.of("app"));
            h.gate().requestEnded(List.of("app"));
        }
        h.advance(Duration.ofSeconds(1));
        assertThat(h.store.accessWrites.get()).isEqualTo(1);
        assertThat(h.store.lastAccess("app")).isNotNull();
        h.advance(Duration.ofSeconds(5)); // nothing new: nothing written
        assertThat(h.store.accessWrites.get()).isEqualTo(1);
    }

    @Test
    void writesResumeWhenTheStoreIsBack() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.store.available = false;
        h.gate().requestStarted(List.of("app"));
        h.gate().requestEnded(List.of("app"));
        h.advance(Duration.ofSeconds(3));
        assertThat(h.store.lastAccess("app")).isNull();
        h.store.available = true;
        h.advance(Duration.ofSeconds(1));
        // Sent as "3 s ago" and stamped by the store's clock: the same instant here, one clock.
        assertThat(h.store.lastAccess("app")).isEqualTo(Harness.T0);
        assertThat(h.store.records()).containsKey("app");
    }

    @Test
    void publishesUsageOnTheHeartbeat() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.gate().requestStarted(List.of("app"));
        h.gate().connectionOpened(List.of("app"));
        h.advance(Duration.ofSeconds(1));
        assertThat(h.store.peer("i1").usage()).containsEntry("app", 2);
    }

    @Test
    void manualStopAndStatsCounts() {
        Harness h = running(new Harness().container("app", Priority.CRITICAL, null, HealthProbe.DEFAULT), "app").start();
        CompletableFuture<Void> stop = h.lifecycle.stopContainer("app");
        h.scheduler.runPending();
        assertThat(stop).isCompleted();
        assertThat(h.provider.stops).containsExactly("app");
        LifecycleStats.Counts total = h.lifecycle.stats().total();
        assertThat(total.stopAttempts()).isEqualTo(1);
        assertThat(total.stopSuccesses()).isEqualTo(1);
        assertThat(total.stopFailures()).isZero();

        h.provider.down = true;
        h.provider.set("app", RUNNING, WorkloadInfo.Health.NONE, 0);
        h.lifecycle.container("app"); // still managed
        h.provider.down = false;
        h.await("app");
        h.provider.down = true;
        CompletableFuture<Void> failing = h.lifecycle.stopContainer("app");
        h.scheduler.runPending();
        assertThat(failing).isCompletedExceptionally();
        assertThat(h.lifecycle.stats().total().stopFailures()).isEqualTo(1);
        assertThat(h.events).contains("stop failed app");
    }

    @Test
    void snapshotShowsWhatHealthContainersNeeds() {
        Harness h = running(new Harness().container("app"), "app").start();
        h.gate().requestStarted(List.of("app"));
        ContainerStatus s = h.lifecycle.container("app");
        assertThat(s.state()).isEqualTo(ContainerState.READY);
        assertThat(s.priority()).isEqualTo(Priority.NORMAL);
        assertThat(s.idleTimeoutMinutes()).isEqualTo(30);
        assertThat(s.inFlight()).isEqualTo(1);
        assertThat(s.lastAccess()).isEqualTo(Instant.from(Harness.T0));
        AutomationSnapshot a = h.lifecycle.automation();
        assertThat(a.stateCounts()).containsEntry("ready", 1);
        assertThat(a.runtimeAvailable()).isTrue();
    }
}
