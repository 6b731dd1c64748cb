package dev.wakegate.lifecycle;

import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Priority;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static dev.wakegate.testing.StartFailures.failureOf;
import static dev.wakegate.provider.WorkloadInfo.Status.EXITED;
import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

class StartupCoordinatorTest {

    @Test
    void fiftyConcurrentWaitersShareOneStart() throws Exception {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.holdStarts = true;

        List<CompletableFuture<Void>> waiters = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                waiters.add(h.gate().awaitReady(List.of("app")));
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        h.scheduler.runPending();
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(waiters).hasSize(50).noneMatch(CompletableFuture::isDone);

        h.provider.heldStarts.forEach(f -> f.complete(null));
        h.scheduler.runPending();
        assertThat(waiters).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(h.lifecycle.stats().total().startsIssued()).isEqualTo(1);
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void aReadyContainerIsNotStartedAgain() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        h.start();
        assertThat(h.ready("app")).isTrue();
        assertThat(h.await("app")).isCompleted();
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void aContainerFoundRunningAtStartIsProbedBeforeItCountsAsReady() {
        HostPort upstream = HostPort.parse("127.0.0.1:9001");
        Harness h = new Harness().container("app", Priority.NORMAL, upstream.toString(), HealthProbe.http("/healthz"));
        h.provider.add("app", RUNNING, false); // started a moment before the proxy, still booting
        h.start();
        assertThat(h.ready("app")).as("running is not ready: it may still be booting").isFalse();
        assertThat(h.state("app")).isEqualTo(ContainerState.RUNNING);
        assertThat(h.probe.httpCalls.get()).as("probed at once, without a request").isPositive();

        CompletableFuture<Void> request = h.await("app");
        assertThat(request).as("parked on the probe").isNotDone();
        h.probe.ready.put(upstream, true);
        h.advance(Duration.ofMillis(300));
        assertThat(request).isCompleted();
        assertThat(h.ready("app")).isTrue();
        assertThat(h.probe.lastPath).isEqualTo("/healthz");
        // a verification is no start: nothing started, nothing counted as one
        assertThat(h.provider.starts).isEmpty();
        assertThat(h.events).isEmpty();
        assertThat(h.lifecycle.stats().total().startAttempts()).isZero();
    }

    @Test
    void aContainerFoundRunningThatAnswersItsProbeIsReadyWithoutARequest() {
        HostPort upstream = HostPort.parse("127.0.0.1:9002");
        Harness h = new Harness().container("app", Priority.NORMAL, upstream.toString(), HealthProbe.DEFAULT);
        h.provider.add("app", RUNNING, false);
        h.probe.ready.put(upstream, true);
        h.start();
        assertThat(h.ready("app")).isTrue();
        assertThat(h.probe.tcpCalls.get()).isEqualTo(1);
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void anEngineThatDoesNotAnswerAStartFailsItAsUnavailableAndIsNotReplayed() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.holdStarts = true;
        CompletableFuture<Void> first = h.await("app");
        h.provider.heldStarts.get(0).completeExceptionally(new StartFailure("app", StartFailure.Kind.RUNTIME_UNAVAILABLE,
                "docker engine unreachable at unix:///x.sock: no answer within 10s"));
        h.scheduler.runPending();
        StartFailure f = failureOf(first);
        assertThat(f.kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
        assertThat(f.reason()).contains("no answer within 10s");

        CompletableFuture<Void> second = h.await("app");
        assertThat(h.provider.starts).as("asked the engine again, not a replayed failure").hasSize(2);
        h.provider.heldStarts.get(1).complete(null);
        h.scheduler.runPending();
        assertThat(second).isCompleted();
    }

    @Test
    void dependenciesStartFirstAndIndependentContainersInParallel() {
        Harness h = new Harness().container("a", "c").container("b").container("c");
        h.provider.add("a", EXITED, false).add("b", EXITED, false).add("c", EXITED, false);
        h.start();
        h.provider.holdStarts = true;

        CompletableFuture<Void> f = h.await("a", "b");
        assertThat(h.provider.starts).containsExactlyInAnyOrder("c", "b");

        h.provider.heldStarts.forEach(s -> s.complete(null));
        h.scheduler.runPending();
        assertThat(h.provider.starts).containsExactly("c", "b", "a").hasSize(3);
        assertThat(f).isNotDone();

        h.provider.heldStarts.get(2).complete(null);
        h.scheduler.runPending();
        assertThat(f).isCompleted();
        assertThat(h.ready("a", "b", "c")).isTrue();
    }

    @Test
    void aSharedDependencyIsStartedOnce() {
        Harness h = new Harness().container("a", "c").container("d", "c").container("c");
        h.provider.add("a", EXITED, false).add("d", EXITED, false).add("c", EXITED, false);
        h.start();
        h.provider.holdStarts = true;

        CompletableFuture<Void> first = h.await("a");
        CompletableFuture<Void> second = h.await("d");
        assertThat(h.provider.starts).containsExactly("c");
        h.provider.heldStarts.get(0).complete(null);
        h.scheduler.runPending();
        assertThat(h.provider.starts).containsExactlyInAnyOrder("c", "a", "d");
        h.provider.heldStarts.forEach(s -> s.complete(null));
        h.scheduler.runPending();
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
    }

    @Test
    void healthcheckContainerIsReadyOnHealthyEvent() {
        Harness h = new Harness().container("db");
        h.provider.add("db", EXITED, true);
        h.start();

        CompletableFuture<Void> f = h.await("db");
        h.advance(Duration.ofMillis(100));
        assertThat(f).isNotDone();
        assertThat(h.ready("db")).isFalse();

        h.provider.emitHealth("db", WorkloadInfo.Health.HEALTHY);
        h.scheduler.runPending();
        assertThat(f).isCompleted();
        assertThat(h.ready("db")).isTrue();
    }

    @Test
    void healthcheckContainerIsReadyByInspectBackstopWithoutEvent() {
        Harness h = new Harness().container("db");
        h.provider.add("db", EXITED, true);
        h.start();

        CompletableFuture<Void> f = h.await("db");
        h.provider.set("db", RUNNING, WorkloadInfo.Health.HEALTHY, 0); // no event
        h.advance(Duration.ofMillis(300));
        assertThat(f).isCompleted();
    }

    @Test
    void httpProbeDecidesReadiness() {
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.http("/healthz"));
        h.provider.add("web", EXITED, false);
        h.start();

        CompletableFuture<Void> f = h.await("web");
        h.advance(Duration.ofMillis(50));
        assertThat(f).isNotDone();
        assertThat(h.probe.httpCalls.get()).isGreaterThan(1);
        assertThat(h.probe.lastPath).isEqualTo("/healthz");

        h.probe.ready.put(HostPort.parse("127.0.0.1:8001"), true);
        h.advance(Duration.ofMillis(250));
        assertThat(f).isCompleted();
        assertThat(h.probe.tcpCalls.get()).isZero();
    }

    @ParameterizedTest(name = "healthcheck {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void theStartEventOfOurOwnStartArrivingAfterItWasReadyLeavesItReady(boolean healthcheck) {
        HostPort upstream = HostPort.parse("127.0.0.1:8001");
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.http("/healthz"));
        h.provider.add("web", EXITED, healthcheck);
        h.start();
        h.probe.ready.put(upstream, true);
        if (healthcheck) {
            h.provider.statusOnStart = WorkloadInfo.Status.RUNNING;
        }
        CompletableFuture<Void> f = h.await("web");
        if (healthcheck) {
            h.provider.emitHealth("web", WorkloadInfo.Health.HEALTHY);
        }
        h.advance(Duration.ofMillis(300));
        assertThat(f).isCompleted();
        assertThat(h.ready("web")).isTrue();

        // the engine's event stream lags: the start event comes after the start was seen through
        h.provider.emit(WorkloadEvent.Type.START, "web");
        h.scheduler.runPending();
        assertThat(h.ready("web")).as("no die came before it: it is the start we made").isTrue();

        // a restart by someone else: die, then start: not ready until checked again
        h.provider.emit(WorkloadEvent.Type.DIE, "web");
        h.provider.emit(WorkloadEvent.Type.START, "web");
        h.scheduler.runPending();
        assertThat(h.state("web")).isNotEqualTo(ContainerState.READY);
    }

    @Test
    void tcpConnectToUpstreamDecidesReadinessByDefault() {
        Harness h = new Harness().container("pg", Priority.NORMAL, "127.0.0.1:5432", HealthProbe.DEFAULT);
        h.provider.add("pg", EXITED, false);
        h.start();

        CompletableFuture<Void> f = h.await("pg");
        h.advance(Duration.ofMillis(40));
        assertThat(f).isNotDone();
        h.probe.ready.put(HostPort.parse("127.0.0.1:5432"), true);
        h.advance(Duration.ofMillis(250));
        assertThat(f).isCompleted();
        assertThat(h.probe.tcpCalls.get()).isGreaterThan(1);
    }

    @Test
    void containerWithoutHealthcheckOrUpstreamIsReadyWhenRunning() {
        Harness h = new Harness().container("worker");
        h.provider.add("worker", EXITED, false);
        h.start();
        assertThat(h.await("worker")).isCompleted();
        assertThat(h.probe.tcpCalls.get() + h.probe.httpCalls.get()).isZero();
    }

    @Test
    void exitDuringStartFailsEveryWaiter() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.exitOnStart = 3;

        CompletableFuture<Void> one = h.gate().awaitReady(List.of("app"));
        CompletableFuture<Void> two = h.gate().awaitReady(List.of("app"));
        h.scheduler.runPending();
        for (CompletableFuture<Void> f : List.of(one, two)) {
            StartFailure sf = failureOf(f);
            assertThat(sf.kind()).isEqualTo(StartFailure.Kind.FAILED);
            assertThat(sf.reason()).isEqualTo("exited with code 3");
            assertThat(sf.container()).isEqualTo("app");
        }
        assertThat(h.provider.starts).hasSize(1);
    }

    @Test
    void exitDetectedByProbePathInspect() {
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.http("/"));
        h.provider.add("web", EXITED, false);
        h.start();
        CompletableFuture<Void> f = h.await("web");
        h.provider.set("web", EXITED, WorkloadInfo.Health.NONE, 1); // exits, the DIE event is lost
        h.advance(Duration.ofMillis(300)); // failed probes ask the engine at most every 250 ms
        assertThat(failureOf(f).reason()).isEqualTo("exited with code 1");
    }

    @Test
    void unhealthyFailsEveryWaiter() {
        Harness h = new Harness().container("db");
        h.provider.add("db", EXITED, true);
        h.start();
        CompletableFuture<Void> one = h.await("db");
        CompletableFuture<Void> two = h.await("db");
        h.provider.emitHealth("db", WorkloadInfo.Health.UNHEALTHY);
        h.scheduler.runPending();
        assertThat(failureOf(one).reason()).isEqualTo("unhealthy");
        assertThat(failureOf(two).kind()).isEqualTo(StartFailure.Kind.FAILED);
    }

    @Test
    void missingContainerFailsWithNoSuchContainer() {
        Harness h = new Harness().container("ghost");
        h.start();
        assertThat(h.state("ghost")).isEqualTo(ContainerState.MISSING);
        StartFailure sf = failureOf(h.await("ghost"));
        assertThat(sf.kind()).isEqualTo(StartFailure.Kind.MISSING);
        assertThat(sf.reason()).isEqualTo("no such container");
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void runtimeStartErrorCarriesTheEnginesMessage() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.startError = "image wakegate/app:1 not found";
        CompletableFuture<Void> one = h.gate().awaitReady(List.of("app"));
        CompletableFuture<Void> two = h.gate().awaitReady(List.of("app"));
        h.scheduler.runPending();
        assertThat(failureOf(one).reason()).isEqualTo("image wakegate/app:1 not found");
        assertThat(failureOf(two).kind()).isEqualTo(StartFailure.Kind.FAILED);
    }

    /** What the engine said is decided on by its kind; the words only travel to the client. */
    @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            MISSING             | removed meanwhile                                   | MISSING             | no such container
            FAILED              | no such container image: wakegate/app:1 (pull it)   | FAILED              | no such container image: wakegate/app:1 (pull it)
            RUNTIME_UNAVAILABLE | docker engine unreachable at unix:///x.sock: reset  | RUNTIME_UNAVAILABLE | docker engine unreachable at unix:///x.sock: reset
            """)
    void aStartFailureFromTheEngineIsDecidedOnItsKindNotItsText(StartFailure.Kind kind, String words,
                                                                  StartFailure.Kind expectedKind, String expectedReason) {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.startError = words;
        h.provider.startErrorKind = kind;
        StartFailure f = failureOf(h.await("app"));
        assertThat(f.kind()).isEqualTo(expectedKind);
        assertThat(f.reason()).isEqualTo(expectedReason);
        assertThat(f.container()).isEqualTo("app");
        assertThat(h.state("app") == ContainerState.MISSING).as("marked missing").isEqualTo(kind == StartFailure.Kind.MISSING);
    }

    @Test
    void failureIsReplayedForOneSecondThenRetried() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.startError = "boom";
        failureOf(h.await("app"));
        failureOf(h.await("app"));
        assertThat(h.provider.starts).hasSize(1);

        h.provider.startError = null;
        h.advance(Duration.ofMillis(1001));
        assertThat(h.await("app")).isCompleted();
        assertThat(h.provider.starts).hasSize(2);
    }

    @Test
    void notReadyWithinStartupTimeoutFailsWithTimeout() {
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.http("/"));
        h.provider.add("web", EXITED, false);
        h.start();
        CompletableFuture<Void> f = h.await("web");
        h.advance(Duration.ofSeconds(59));
        assertThat(f).isNotDone();
        h.advance(Duration.ofSeconds(1));
        StartFailure sf = failureOf(f);
        assertThat(sf.kind()).isEqualTo(StartFailure.Kind.TIMEOUT);
        assertThat(sf.reason()).isEqualTo("not ready after 60s");
        // No replay of timeouts: the next request tries again at once.
        CompletableFuture<Void> again = h.await("web");
        assertThat(again).isNotDone();
    }

    @Test
    void autoStartDisabledFailsFastWithoutStarting() {
        Harness h = new Harness().container("app");
        h.settings = Harness.settings(false, true, 5, 0);
        h.provider.add("app", EXITED, false);
        h.start();
        StartFailure sf = failureOf(h.await("app"));
        assertThat(sf.kind()).isEqualTo(StartFailure.Kind.AUTO_START_DISABLED);
        assertThat(h.provider.starts).isEmpty();
        // An operator may still start it.
        CompletableFuture<Void> manual = h.lifecycle.startContainer("app");
        h.scheduler.runPending();
        assertThat(manual).isCompleted();
    }

    @Test
    void runtimeDisconnectedFailsColdFastAndKeepsWarm() {
        Harness h = new Harness().container("warm").container("cold");
        h.provider.add("warm", RUNNING, false).add("cold", EXITED, false);
        h.start();
        h.provider.down = true;
        h.provider.emitAll(WorkloadEvent.Type.DISCONNECTED);
        h.scheduler.runPending();

        assertThat(h.ready("warm")).isTrue();
        StartFailure sf = failureOf(h.await("cold"));
        assertThat(sf.kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
        assertThat(sf.reason()).as("the provider's own account").isEqualTo(FakeProvider.UNREACHABLE);
        assertThat(h.provider.starts).isEmpty();

        h.provider.down = false;
        int listsBefore = h.provider.lists.get();
        h.provider.emitAll(WorkloadEvent.Type.RESYNC);
        h.scheduler.runPending();
        assertThat(h.provider.lists.get()).isEqualTo(listsBefore + 1);
        assertThat(h.await("cold")).isCompleted();
    }

    @Test
    void disconnectFailsStartsInProgress() {
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.TCP);
        h.provider.add("web", EXITED, false);
        h.start();
        CompletableFuture<Void> f = h.await("web");
        h.provider.emitAll(WorkloadEvent.Type.DISCONNECTED);
        h.scheduler.runPending();
        assertThat(failureOf(f).kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
    }

    @Test
    void resyncPicksUpChangesMadeWhileDisconnected() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        h.start();
        h.provider.set("app", EXITED, WorkloadInfo.Health.NONE, 0);
        h.provider.emitAll(WorkloadEvent.Type.RESYNC);
        h.scheduler.runPending();
        assertThat(h.ready("app")).isFalse();
        assertThat(h.state("app")).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    void aListingTakenBeforeAStartEventDoesNotUndoIt() {
        Harness h = new Harness().container("app").container("other");
        h.provider.add("app", EXITED, false).add("other", RUNNING, false);
        h.start();
        assertThat(h.state("app")).isEqualTo(ContainerState.STOPPED);

        h.provider.holdLists = true;
        h.provider.emitAll(WorkloadEvent.Type.RESYNC);
        h.scheduler.runPending();   // listing taken: app exited, other running
        h.provider.set("app", RUNNING, WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.START, "app");   // started by hand after the listing was taken
        h.provider.set("other", EXITED, WorkloadInfo.Health.NONE, 0);
        h.scheduler.runPending();
        assertThat(h.state("app")).isEqualTo(ContainerState.READY);

        h.provider.heldLists.remove(0).run();
        h.scheduler.runPending();
        assertThat(h.state("app")).as("the start event is newer than the listing").isEqualTo(ContainerState.READY);
        assertThat(h.ready("app")).isTrue();
        assertThat(h.state("other")).as("no event about it: the listing is the newest word").isEqualTo(ContainerState.READY);

        h.provider.holdLists = false;
        h.provider.emitAll(WorkloadEvent.Type.RESYNC);
        h.scheduler.runPending();
        assertThat(h.state("other")).as("the next listing sees it exited").isEqualTo(ContainerState.STOPPED);
        assertThat(h.state("app")).isEqualTo(ContainerState.READY);
    }

    @Test
    void aContainerRegisteredWhileAListingIsUnderWayIsNotMarkedMissingByIt() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        h.start();
        h.provider.holdLists = true;
        h.provider.emitAll(WorkloadEvent.Type.RESYNC);
        h.scheduler.runPending();   // listing taken before "late" existed
        h.provider.add("late", RUNNING, false);
        h.lifecycle.register(new ContainerSpec("late", Priority.NORMAL, Optional.empty(), HealthProbe.DEFAULT,
                List.of(), Optional.empty(), false));
        h.scheduler.runPending();
        assertThat(h.state("late")).isEqualTo(ContainerState.READY);

        h.provider.heldLists.remove(0).run();
        h.scheduler.runPending();
        assertThat(h.state("late")).as("not in a listing asked for before it was registered, yet not missing")
                .isEqualTo(ContainerState.READY);
    }

    @Test
    void cancelledWaiterDoesNotDisturbOthers() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.provider.holdStarts = true;
        CompletableFuture<Void> leaving = h.await("app");
        CompletableFuture<Void> staying = h.await("app");
        leaving.cancel(false);
        h.provider.heldStarts.get(0).complete(null);
        h.scheduler.runPending();
        assertThat(staying).isCompleted();
        assertThat(staying.isCompletedExceptionally()).isFalse();
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void manualDockerStopMakesItNotReadyAndTheNextRequestStartsItAgain() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false);
        h.start();
        assertThat(h.ready("app")).isTrue();

        h.provider.set("app", EXITED, WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.DIE, "app");
        h.scheduler.runPending();
        assertThat(h.ready("app")).isFalse();

        assertThat(h.await("app")).isCompleted();
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(h.ready("app")).isTrue();
    }

    @Test
    void containerStartedByHandIsVerifiedByProbeBeforeItIsReady() {
        Harness h = new Harness().container("web", Priority.NORMAL, "127.0.0.1:8001", HealthProbe.http("/"));
        h.provider.add("web", EXITED, false);
        h.start();
        h.provider.set("web", RUNNING, WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.START, "web");
        h.scheduler.runPending();
        assertThat(h.ready("web")).isFalse();
        h.probe.ready.put(HostPort.parse("127.0.0.1:8001"), true);
        assertThat(h.await("web")).isCompleted();
        assertThat(h.provider.starts).isEmpty();
    }

    @Test
    void startLeaseHeldByAnotherInstanceMeansNoStartHereButStillReady() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.start();
        h.store.holdLease("start:app", "other", Duration.ofSeconds(60));

        CompletableFuture<Void> f = h.await("app");
        h.advance(Duration.ofMillis(30));
        assertThat(h.provider.starts).isEmpty();
        assertThat(f).isNotDone();

        // The other instance starts it.
        h.provider.set("app", RUNNING, WorkloadInfo.Health.NONE, 0);
        h.provider.emit(WorkloadEvent.Type.START, "app");
        h.scheduler.runPending();
        assertThat(f).isCompleted();
        assertThat(h.provider.starts).isEmpty();
        assertThat(h.lifecycle.stats().total().startsIssued()).isZero();
    }

    @Test
    void twoInstancesIssueExactlyOneStart() {
        Harness a = new Harness().container("app");
        a.provider.add("app", EXITED, false);
        a.start();
        Harness b = new Harness(a).container("app").start();
        a.provider.holdStarts = true;

        CompletableFuture<Void> fa = a.gate().awaitReady(List.of("app"));
        CompletableFuture<Void> fb = b.gate().awaitReady(List.of("app"));
        a.scheduler.runPending();
        a.provider.heldStarts.forEach(s -> s.complete(null));
        a.advance(Duration.ofMillis(300));

        assertThat(fa).isCompleted();
        assertThat(fb).isCompleted();
        assertThat(a.provider.starts).containsExactly("app");
        assertThat(a.lifecycle.stats().total().startsIssued() + b.lifecycle.stats().total().startsIssued())
                .isEqualTo(1);
        assertThat(a.store.leaseHolder("start:app")).isNull();
    }

    @Test
    void storeUnavailableStillStartsLocally() {
        Harness h = new Harness().container("app");
        h.provider.add("app", EXITED, false);
        h.store.available = false;
        h.start();
        assertThat(h.await("app")).isCompleted();
        assertThat(h.provider.starts).containsExactly("app");
    }

    @Test
    void unmanagedNamesAreRefusedWithoutEngineCalls() {
        Harness h = new Harness().container("app");
        h.provider.add("app", RUNNING, false).add("other", EXITED, false);
        h.start();
        CompletableFuture<Void> start = h.lifecycle.startContainer("other");
        CompletableFuture<Void> stop = h.lifecycle.stopContainer("other");
        h.scheduler.runPending();
        assertThat(start).isCompletedExceptionally();
        assertThat(stop).isCompletedExceptionally();
        start.whenComplete((v, ex) -> assertThat(ex).isInstanceOf(NotManagedException.class));
        assertThat(h.provider.starts).isEmpty();
        assertThat(h.provider.stops).isEmpty();
        assertThat(h.ready("other")).isFalse();
    }

    @Test
    void statsAndListenerCountStartsAndFailures() {
        Harness h = new Harness().container("ok").container("bad");
        h.provider.add("ok", EXITED, false).add("bad", EXITED, false);
        h.provider.exitOnStart = null;
        h.start();
        h.await("ok");
        h.provider.exitOnStart = 2;
        h.await("bad");

        LifecycleStats.Counts total = h.lifecycle.stats().total();
        assertThat(total.startAttempts()).isEqualTo(2);
        assertThat(total.startsIssued()).isEqualTo(2);
        assertThat(total.startSuccesses()).isEqualTo(1);
        assertThat(total.startFailures()).isEqualTo(1);
        assertThat(h.lifecycle.stats().countsOf("bad").startFailures()).isEqualTo(1);
        assertThat(h.events).contains("requested ok", "ready ok", "requested bad",
                "failed bad FAILED exited with code 2");
    }
}
