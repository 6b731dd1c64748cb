package dev.wakegate.lifecycle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.Priority;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never stop what is in use, across instances and faults (docs/redis.md): each case with a fake
 * engine, a fake shared store (one per instance connection) and a clock moved by hand. The
 * instances share the timers, so {@code advance} runs both.
 */
class SharedStateSafetyTest {
    private static final Duration SETTLED = EvictionGuard.SETTLE.plusSeconds(1);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger guardLog = (Logger) LoggerFactory.getLogger(EvictionGuard.class);

    SharedStateSafetyTest() {
        logs.start();
        guardLog.addAppender(logs);
    }

    @AfterEach
    void detach() {
        guardLog.detachAppender(logs);
    }

    private static Harness leader(String... containers) {
        Harness h = new Harness();
        for (String c : containers) {
            h.container(c, Priority.LOW, null, HealthProbe.DEFAULT);
            h.provider.add(c, RUNNING, false);
        }
        return h;
    }

    /** Idle checks only when the test asks (the periodic one every hour), so a test can time its own. */
    private static dev.wakegate.config.AutomationSettings checkOnRequest(Duration interval) {
        return new dev.wakegate.config.AutomationSettings(true, true, Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(30), interval, 5, 0);
    }

    private static Harness follower(Harness leader) {
        Harness b = new Harness(leader);
        b.settings = leader.settings;
        return b.container("app", Priority.LOW, null, HealthProbe.DEFAULT).start();
    }

    private long warnings(String fragment) {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(fragment))
                .count();
    }

    // ------------------------------------------------------------------ the store goes away

    @Test
    void noStopWhileTheSharedStoreIsDownNorBeforeTheOthersHaveBeenReadAgain() {
        Harness h = leader("app").start();
        h.store.available = false;
        h.advance(Duration.ofMinutes(45)); // 45 idle checks, a low container idle for 45 minutes
        assertThat(h.provider.stops).isEmpty();
        AutomationSnapshot.Eviction e = h.lifecycle.automation().eviction();
        assertThat(e.suspended()).isTrue();
        assertThat(e.suspendedReason()).contains("state store fake unavailable");
        assertThat(warnings("idle stops suspended")).as("logged once, not per check").isEqualTo(1);

        h.store.available = true;
        h.advance(Duration.ofSeconds(5));
        IdleCheckReport early = h.check(Duration.ZERO);
        assertThat(early.ranHere()).isFalse();
        assertThat(early.note()).contains("reachable again");
        assertThat(h.provider.stops).isEmpty();

        h.advance(SETTLED);
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("app");
        assertThat(h.lifecycle.automation().eviction().suspended()).isFalse();
    }

    @Test
    void storeRestartedEmptyWhileAnotherInstanceIsInItsReconnectBackoff() {
        Harness a = leader("app").start();
        Harness b = new Harness(a).container("app", Priority.LOW, null, HealthProbe.DEFAULT).start();
        b.gate().requestStarted(List.of("app")); // b serves a long request
        a.advance(Duration.ofMinutes(11));
        assertThat(a.check(Duration.ZERO).skipped()).containsEntry("app", "in use by another instance");

        // Redis restarts empty; b is still in its reconnect backoff: nothing says it exists, but a remembers it.
        b.store.available = false;
        a.store.wipe();
        a.advance(Duration.ofSeconds(30));
        IdleCheckReport during = a.check(Duration.ZERO);
        assertThat(during.ranHere()).isFalse();
        assertThat(during.note()).contains("i2").contains("unaccounted for");
        assertThat(a.provider.stops).isEmpty();

        b.store.available = true; // b reconnects and publishes again
        a.advance(Duration.ofSeconds(2));
        assertThat(a.check(Duration.ZERO).skipped()).containsEntry("app", "in use by another instance");

        b.gate().requestEnded(List.of("app"));
        a.advance(Duration.ofMinutes(11));
        assertThat(a.provider.stops).containsExactly("app");
    }

    @Test
    void failingToReadTheOthersUsageAfterTakingTheLeaseStopsNothing() {
        Harness h = leader("app").start();
        h.store.failing.add("loadPeers");
        h.jump(Duration.ofMinutes(31));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.ranHere()).isFalse();
        assertThat(r.note()).contains("could not read the shared activity");
        assertThat(h.provider.stops).isEmpty();

        h.store.failing.clear();
        h.advance(SETTLED); // a failed read counts as the store being away: the others are read again first
        h.store.failing.add("loadAccessAges");
        assertThat(h.check(Duration.ZERO).note()).contains("could not read the shared activity");
        assertThat(h.provider.stops).isEmpty();
    }

    @Test
    void anInstanceCutOffPastItsUsageTtlHoldsStopsUntilTheInstanceTimeout() {
        Harness a = leader("app");
        a.instanceTimeout = Duration.ofMinutes(20);
        a.start();
        Harness b = new Harness(a).container("app", Priority.LOW, null, HealthProbe.DEFAULT).start();
        b.gate().connectionOpened(List.of("app")); // a WebSocket through b
        a.advance(Duration.ofSeconds(2));
        b.store.available = false; // b is cut off from the store, its connection still open

        a.advance(Duration.ofMinutes(15)); // b's usage expired long ago; its membership did not
        assertThat(a.provider.stops).isEmpty();
        IdleCheckReport r = a.check(Duration.ZERO);
        assertThat(r.note()).contains("i2 (silent");

        // The bound: silent for instance_timeout, b is presumed dead and no longer holds stops.
        a.advance(Duration.ofMinutes(6));
        assertThat(a.provider.stops).containsExactly("app");
    }

    // ------------------------------------------------------------------ leadership

    @Test
    void theLeaderKeepsItsLeaseAcrossIntervalsAndAFollowerNeverChecksMeanwhile() {
        Harness a = leader("app").start();
        a.lifecycle.runIdleCheckNow();
        a.scheduler.runPending();
        Harness b = new Harness(a).container("app", Priority.LOW, null, HealthProbe.DEFAULT).start();
        for (int i = 0; i < 5; i++) {
            a.advance(Duration.ofSeconds(60));
            assertThat(a.store.leaseHolder(IdleEvictor.LEASE)).isEqualTo("i1");
            IdleCheckReport atB = b.lifecycle.stats().snapshot().lastIdleCheck();
            assertThat(atB.ranHere()).isFalse();
            assertThat(atB.note()).contains("another instance holds");
        }
        a.lifecycle.close(); // gives the lease up and leaves
        a.scheduler.runPending();
        b.advance(Duration.ofSeconds(60));
        assertThat(a.store.leaseHolder(IdleEvictor.LEASE)).isEqualTo("i2");
    }

    @Test
    void aLongStopKeepsTheLeaseSoNoSecondLeaderStopsAgain() {
        Harness a = leader("app");
        a.settings = checkOnRequest(Duration.ofSeconds(60));
        a.start();
        Harness b = follower(a);
        a.provider.holdStops = true;
        a.advance(Duration.ofMinutes(10).plusSeconds(30));
        CompletableFuture<IdleCheckReport> cycle = a.lifecycle.runIdleCheckNow();
        a.advance(Duration.ofSeconds(5)); // cordon acknowledged by b, the stop issued and hanging
        assertThat(a.provider.stops).containsExactly("app");
        a.advance(Duration.ofMinutes(5)); // far beyond the lease's two intervals
        assertThat(a.store.leaseHolder(IdleEvictor.LEASE)).isEqualTo("i1");
        assertThat(b.lifecycle.stats().snapshot().lastIdleCheck().note()).contains("another instance holds");
        assertThat(a.provider.stops).as("no duplicate stop from a second leader").containsExactly("app");
        a.provider.heldStops.get(0).complete(null);
        a.advance(Duration.ofSeconds(1));
        assertThat(cycle.join().stopped()).containsExactly("app");
    }

    @Test
    void noStopOnceTheLeaseCouldNotBeRenewed() {
        Harness a = leader("app");
        a.settings = checkOnRequest(Duration.ofSeconds(1)); // a 2 s lease, renewed every 2/3 s
        a.start();
        Harness b = follower(a);
        a.advance(Duration.ofMinutes(10)); // idle exactly 10 minutes: not yet
        b.store.failing.add("heartbeat"); // b's acknowledgement will take a second ...
        a.advance(Duration.ofSeconds(1)); // the check at 10:01 cordons app and waits for b
        CompletableFuture<IdleCheckReport> cycle = a.lifecycle.runIdleCheckNow(); // that same check
        a.store.failing.add("renewLease"); // ... and meanwhile the lease cannot be renewed
        a.store.failing.add("tryAcquireLease");
        a.advance(Duration.ofSeconds(1));
        b.store.failing.remove("heartbeat");
        a.advance(Duration.ofSeconds(4));
        assertThat(cycle.join().skipped().get("app")).contains("lease was lost");
        assertThat(a.provider.stops).as("acknowledged, but no valid lease to act on").isEmpty();
    }

    // ------------------------------------------------------------------ the shared cordon

    @Test
    void aRequestThroughAnotherInstanceDuringTheCordonCallsTheStopOff() {
        Harness a = leader("app");
        a.settings = checkOnRequest(Duration.ofHours(1));
        a.start();
        Harness b = follower(a);
        a.advance(Duration.ofMinutes(11));
        CompletableFuture<IdleCheckReport> cycle = a.lifecycle.runIdleCheckNow();
        a.scheduler.runPending(); // decided and cordoned; b has not heard yet
        assertThat(b.ready("app")).isTrue();
        b.gate().requestStarted(List.of("app")); // forwarded by b before the cordon reaches it
        a.advance(Duration.ofSeconds(4));

        assertThat(cycle.join().skipped()).containsEntry("app", "in use through instance i2");
        assertThat(a.provider.stops).isEmpty();
        a.advance(Duration.ofSeconds(2)); // the lift reaches b
        assertThat(b.ready("app")).isTrue();
        assertThat(a.ready("app")).isTrue();
    }

    @Test
    void aRequestArrivingAtAFollowerDuringTheStopWaitsAndStartsTheContainerAfresh() {
        Harness a = leader("app");
        a.settings = checkOnRequest(Duration.ofHours(1));
        a.start();
        Harness b = follower(a);
        a.provider.holdStops = true;
        a.advance(Duration.ofMinutes(11));
        CompletableFuture<IdleCheckReport> cycle = a.lifecycle.runIdleCheckNow();
        a.advance(Duration.ofSeconds(4)); // b acknowledged with nothing in use; the stop hangs
        assertThat(a.provider.stops).containsExactly("app");
        assertThat(b.ready("app")).isFalse();

        b.gate().requestStarted(List.of("app"));
        CompletableFuture<Void> parked = b.await("app");
        a.advance(Duration.ofSeconds(2));
        assertThat(parked).isNotDone();
        assertThat(a.provider.starts).isEmpty();

        a.provider.heldStops.get(0).complete(null);
        a.advance(Duration.ofSeconds(2));
        assertThat(cycle.join().stopped()).containsExactly("app");
        assertThat(a.provider.starts).containsExactly("app");
        assertThat(parked).isCompleted();
        assertThat(b.ready("app")).isTrue();
    }

    @Test
    void eventsDuringAStopDoNotLetAWaitingRequestThroughToTheDyingContainer() {
        Harness h = leader("app").start();
        h.provider.holdStops = true;
        h.lifecycle.stopContainer("app");
        h.scheduler.runPending();
        CompletableFuture<Void> parked = h.await("app");
        h.provider.emit(WorkloadEvent.Type.KILL, "app"); // SIGTERM sent: still running and healthy for a moment
        h.scheduler.runPending();
        assertThat(parked).isNotDone();

        h.provider.heldStops.get(0).complete(null);
        h.scheduler.runPending();
        assertThat(parked).isCompleted();
        assertThat(h.provider.starts).containsExactly("app");
    }

    @Test
    void aLiveInstanceThatDoesNotAcknowledgeCallsTheStopOff() {
        Harness a = leader("app");
        a.settings = checkOnRequest(Duration.ofHours(1));
        a.start();
        Harness b = follower(a);
        a.advance(Duration.ofMinutes(11));
        b.store.failing.add("heartbeat"); // its published usage lives on for the usage TTL
        IdleCheckReport r = a.check(Duration.ofSeconds(4));
        assertThat(r.skipped().get("app")).contains("i2 did not acknowledge");
        assertThat(a.provider.stops).isEmpty();
        assertThat(a.ready("app")).isTrue();
    }

    // ------------------------------------------------------------------ dependencies

    @Test
    void aDependencyIsNotStoppedWhileItsDependantRunsAndItsIdleClockFollowsTheDependant() {
        Harness h = new Harness()
                .container("db", Priority.LOW, null, HealthProbe.DEFAULT)
                .container("app", Priority.NORMAL, null, HealthProbe.DEFAULT, "db");
        h.provider.add("db", RUNNING, false);
        h.provider.add("app", RUNNING, false);
        h.start();
        for (int i = 0; i < 6; i++) { // requests to app every 5 minutes for half an hour
            h.gate().requestStarted(List.of("app"));
            h.gate().requestEnded(List.of("app"));
            h.advance(Duration.ofMinutes(5));
        }
        assertThat(h.provider.stops).as("db never stopped under a busy app").isEmpty();
        assertThat(h.check(Duration.ZERO).skipped()).containsEntry("db", "needed by app (ready)");

        h.advance(Duration.ofMinutes(27)); // app idle 32 min: stopped; db after it, never before
        assertThat(h.provider.stops).containsExactly("app", "db");
    }

    @Test
    void aReadyContainerWhoseDependencyStoppedIsNotReadyAndItsRequestStartsTheDependency() {
        Harness h = new Harness().container("db").container("app", "db");
        h.provider.add("db", RUNNING, false);
        h.provider.add("app", RUNNING, false);
        h.start();
        assertThat(h.ready("app")).isTrue();

        h.provider.set("db", WorkloadInfo.Status.EXITED, WorkloadInfo.Health.NONE, 0); // stopped by hand
        h.provider.emit(WorkloadEvent.Type.DIE, "db");
        h.scheduler.runPending();
        assertThat(h.ready("app")).as("readiness covers the depends_on closure").isFalse();

        CompletableFuture<Void> request = h.await("app");
        assertThat(request).isCompleted();
        assertThat(h.provider.starts).containsExactly("db");
        assertThat(h.ready("app")).isTrue();
    }

    // ------------------------------------------------------------------ counters and clocks

    @Test
    void countersSurviveReRegistrationAndNeverGoNegative() {
        Harness h = leader("app").start();
        ContainerSpec spec = h.specs.get("app");
        h.gate().connectionOpened(List.of("app"));
        h.lifecycle.unregister("app"); // label discovery drops and re-adds it
        h.lifecycle.register(spec);
        h.scheduler.runPending();
        h.jump(Duration.ofMinutes(11));
        assertThat(h.check(Duration.ZERO).skipped()).containsEntry("app", "1 open connection(s)");
        assertThat(h.provider.stops).isEmpty();

        h.gate().connectionClosed(List.of("app"));
        h.gate().connectionClosed(List.of("app")); // a close without its open: a bug, never a -1
        h.advance(Duration.ofSeconds(1));
        assertThat(h.lifecycle.container("app").openConnections()).isZero();
        assertThat(h.store.peer("i1").usage().getOrDefault("app", 0)).isZero();
    }

    @Test
    void aHostWithASlowClockDoesNotMakeTheLeaderStopEarly() {
        Harness a = leader("app").start();
        Harness b = new Harness(a, Duration.ofMinutes(-25)).container("app", Priority.LOW, null, HealthProbe.DEFAULT)
                .start();
        a.advance(Duration.ofMinutes(5));
        b.gate().requestStarted(List.of("app"));
        b.gate().requestEnded(List.of("app"));
        a.advance(Duration.ofMinutes(9));
        assertThat(a.provider.stops).as("9 minutes after b's request; b's clock says 34").isEmpty();
        a.advance(Duration.ofMinutes(2).plus(IdleEvictor.ACK_WAIT)); // the check at 11 minutes, and its cordon
        assertThat(a.provider.stops).containsExactly("app");
    }

    @Test
    void aLastAccessFromAHostThatRanFastDoesNotPinAContainerAwake() {
        Harness h = leader("app");
        h.store.putRawLastAccess("app", Harness.T0.plus(Duration.ofDays(1)));
        h.start();
        h.advance(Duration.ofMinutes(12));
        assertThat(h.provider.stops).containsExactly("app");
    }

    // ------------------------------------------------------------------ the smaller cases

    @Test
    void aStartLeaseLeftByACrashedInstanceHoldsOthersUpOnlyForItsShortTtl() {
        Harness h = new Harness().container("app");
        h.provider.add("app", WorkloadInfo.Status.EXITED, false);
        h.start();
        h.store.holdLease("start:app", "crashed", StartupCoordinator.START_LEASE_TTL);
        CompletableFuture<Void> request = h.await("app");
        h.advance(Duration.ofSeconds(5));
        assertThat(request).isNotDone();
        h.advance(StartupCoordinator.START_LEASE_TTL);
        assertThat(request).isCompleted();
        assertThat(h.provider.starts).containsExactly("app");
    }

    @Test
    void aLeaseWhoseReplyWasLostIsReleasedAnyway() {
        Harness h = new Harness().container("app");
        h.provider.add("app", WorkloadInfo.Status.EXITED, false);
        h.start();
        h.store.losingReplies.add("tryAcquireLease");
        CompletableFuture<Void> request = h.await("app");
        assertThat(request).isCompleted();
        assertThat(h.store.leaseHolder("start:app")).isNull();
    }

    @Test
    void aStartByHandDuringOurStopIsNotOverwrittenWithStopped() {
        Harness h = leader("app").start();
        h.provider.holdStops = true;
        CompletableFuture<Void> stop = h.lifecycle.stopContainer("app");
        h.scheduler.runPending();
        h.provider.heldStops.get(0).complete(null); // the engine stopped it ...
        h.provider.set("app", RUNNING, WorkloadInfo.Health.NONE, 0); // ... and someone started it again
        h.provider.emit(WorkloadEvent.Type.START, "app");
        h.scheduler.runPending();
        assertThat(stop).isCompleted();
        assertThat(h.state("app")).isEqualTo(ContainerState.READY);
    }

    @Test
    void aDeadlySignalTakesTheContainerOutAtOnceAndASurvivorComesBack() {
        Harness h = leader("app").start();
        h.provider.emit(WorkloadEvent.Type.KILL, "app");
        h.scheduler.runPending();
        assertThat(h.ready("app")).isFalse();
        h.advance(StartupCoordinator.KILL_RECHECK.plusMillis(1)); // no die event: it survived the signal
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void aRequestToAContainerKilledBySomeoneElseWaitsForItsDeathThenStartsIt() {
        Harness h = leader("app").start();
        h.provider.emit(WorkloadEvent.Type.KILL, "app"); // docker kill: the process is still dying
        h.scheduler.runPending();
        CompletableFuture<Void> parked = h.await("app");
        h.scheduler.runPending();
        assertThat(h.provider.starts).as("no start on the dying process").isEmpty();

        h.provider.set("app", WorkloadInfo.Status.EXITED, WorkloadInfo.Health.NONE, 137);
        h.provider.emit(WorkloadEvent.Type.DIE, "app");
        h.scheduler.runPending();
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(parked).isCompleted();
        assertThat(parked.isCompletedExceptionally()).isFalse();
    }

    @Test
    void aRequestToAContainerThatSurvivedItsSignalGoesThroughWithoutAStart() {
        Harness h = leader("app").start();
        h.provider.emit(WorkloadEvent.Type.KILL, "app");
        h.scheduler.runPending();
        CompletableFuture<Void> parked = h.await("app");
        h.advance(StartupCoordinator.KILL_RECHECK.plusMillis(1)); // no die event
        assertThat(parked).isCompleted();
        assertThat(parked.isCompletedExceptionally()).isFalse();
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void registeringAnUnknownDependencyLaterLinksIt() {
        Harness h = new Harness().container("app", "db");
        h.provider.add("app", RUNNING, false);
        h.provider.add("db", WorkloadInfo.Status.EXITED, false);
        h.start();
        assertThat(h.ready("app")).isTrue(); // db is not managed (yet): nothing to wait for
        h.lifecycle.register(new ContainerSpec("db", Priority.NORMAL, Optional.empty(), HealthProbe.DEFAULT,
                List.of(), Optional.empty(), true));
        h.scheduler.runPending();
        assertThat(h.ready("app")).isFalse();
    }
}
