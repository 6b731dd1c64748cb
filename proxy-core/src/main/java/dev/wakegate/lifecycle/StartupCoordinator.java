package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.Durations;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.SleepMode;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import dev.wakegate.state.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

/**
 * Starts and stops managed containers: one start per container however many requests wait
 * (single flight), dependencies ready before their dependants, independent containers in
 * parallel, readiness noticed within milliseconds, and a stop that new requests wait out.
 *
 * <p>All of it runs on the {@link LifecycleExecutor} lane: an operation is a small state machine
 * ({@link StartOp}) whose steps are lane tasks chained on provider, store and probe futures, so
 * nothing blocks and no lock is held around an engine call. Waiters get their own future
 * (cancelling it does not disturb the shared operation).
 *
 * <p>Readiness, in order: the Docker HEALTHCHECK status when the container has one (HEALTH_STATUS
 * events act at once; inspect polls are the backstop); else the configured probe against its
 * upstream (HTTP GET, 2xx/3xx; or TCP connect); else a TCP connect to its upstream; else
 * "running". Probe polls (a loopback connect: cheap) run every 5 ms for the first
 * {@link #FAST_WINDOW} after the start call, so a container that comes up is noticed within a few
 * milliseconds, then back off, doubling, to at most 250 ms; polls that are engine inspects back
 * off from the start. Probing begins with the start call, not when it returns (the engine runs the
 * process before it answers). While probes fail, the engine is asked whether the container still runs at
 * most every 250 ms (and at once on a die/stop event), not after every probe.
 *
 * <p>With several instances, the start itself is guarded by the shared lease {@code start:<name>}:
 * the holder calls {@code provider.start}, the others only watch for readiness (and take the lease
 * over if it is released while the container is still down). When the store is unreachable the
 * instance starts on its own (degraded mode).
 *
 * <p>Failures are not cached, except that a FAILED or MISSING outcome is replayed for
 * {@link #FAILURE_HOLD} (1 s) so a burst of requests to a broken container costs one engine call,
 * not one per request. Timeouts and an unreachable engine are never replayed.
 */
public final class StartupCoordinator {
    private static final Logger log = LoggerFactory.getLogger(StartupCoordinator.class);

    static final Duration FIRST_POLL = Duration.ofMillis(5);
    static final Duration MAX_POLL = Duration.ofMillis(250);
    /** How long after the start call probe polls stay at {@link #FIRST_POLL}. */
    static final Duration FAST_WINDOW = Duration.ofSeconds(2);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** How long a running container's upstream name may fail to resolve before the start fails. */
    static final Duration UNRESOLVED_GRACE = Duration.ofSeconds(1);
    static final Duration FAILURE_HOLD = Duration.ofSeconds(1);
    /**
     * The start lease's lifetime, renewed every third of it while the start runs: an instance that
     * dies between taking it and calling the engine holds the others up for at most this long.
     */
    static final Duration START_LEASE_TTL = Duration.ofSeconds(6);
    static final Duration KILL_RECHECK = Duration.ofSeconds(2);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ContainerRegistry registry;
    private final WorkloadProvider provider;
    private final StateStore store;
    private final StoreHealth storeHealth;
    private final ReadinessProbe probe;
    private final AutomationSettings settings;
    private final Clock clock;
    private final LifecycleExecutor lane;
    private final String instanceId;
    private final LifecycleStats stats;
    private final LifecycleListener listener;
    private final Duration stopGrace;
    /** Set once by {@link #cordons(SharedCordons)} right after construction, before any start. */
    @SuppressWarnings("NullAway.Init")
    private SharedCordons cordons;

    StartupCoordinator(ContainerRegistry registry, WorkloadProvider provider, StateStore store, StoreHealth storeHealth,
                       ReadinessProbe probe, AutomationSettings settings, Clock clock, LifecycleExecutor lane,
                       String instanceId, LifecycleStats stats, LifecycleListener listener, Duration stopGrace) {
        this.registry = registry;
        this.provider = provider;
        this.store = store;
        this.storeHealth = storeHealth;
        this.probe = probe;
        this.settings = settings;
        this.clock = clock;
        this.lane = lane;
        this.instanceId = instanceId;
        this.stats = stats;
        this.listener = listener;
        this.stopGrace = stopGrace;
    }

    /** The shared cordons starts wait out (wired after construction: they call back into {@link #recheck}). */
    void cordons(SharedCordons cordons) {
        this.cordons = cordons;
    }

    // ------------------------------------------------------------------ start

    /**
     * Makes every named container (and its dependencies) ready. Callable from any thread; the
     * returned future is the caller's own, and completes exceptionally with the {@link StartFailure}
     * itself (not wrapped) on the first failure.
     *
     * @param manual an admin start: allowed even when auto-start is off
     */
    CompletableFuture<Void> ensureReady(List<String> names, boolean manual) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> {
            List<CompletableFuture<Void>> parts = new ArrayList<>(names.size());
            Set<String> path = new HashSet<>();
            for (String name : names) {
                parts.add(ensure(name, manual, path));
            }
            Futures.joinFailFast(parts, result);
        });
        return result;
    }

    private CompletableFuture<Void> ensure(String name, boolean manual, Set<String> path) {
        ManagedContainer c = registry.get(name);
        if (c == null) {
            return CompletableFuture.failedFuture(
                    new StartFailure(name, StartFailure.Kind.MISSING, "not a managed container"));
        }
        if (c.start != null) {
            return c.start.future; // its own dependencies come first in it
        }
        if (c.ready) {
            // Ready itself; readiness still covers what it depends on (stopped by hand, died).
            if (allReady(c.dependencies)) {
                return DONE;
            }
            if (!path.add(name)) {
                return CompletableFuture.failedFuture(
                        new StartFailure(name, StartFailure.Kind.FAILED, "depends_on cycle through " + name));
            }
            List<CompletableFuture<Void>> deps = new ArrayList<>();
            for (String dep : c.spec.dependsOn()) {
                deps.add(ensure(dep, manual, path));
            }
            path.remove(name);
            CompletableFuture<Void> all = new CompletableFuture<>();
            Futures.joinFailFast(deps, all);
            return all;
        }
        String engineProblem = registry.runtimeProblem(); // one read: it may change meanwhile
        if (engineProblem != null) {
            return CompletableFuture.failedFuture(
                    new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, engineProblem));
        }
        if (c.recentFailure != null && clock.millis() < c.recentFailureUntilMillis) {
            return CompletableFuture.failedFuture(c.recentFailure);
        }
        if (!manual && !settings.autoStart() && c.state != ContainerState.RUNNING) {
            return CompletableFuture.failedFuture(autoStartDisabled(name));
        }
        if (!path.add(name)) {
            return CompletableFuture.failedFuture(
                    new StartFailure(name, StartFailure.Kind.FAILED, "depends_on cycle through " + name));
        }
        List<String> deps = c.spec.dependsOn();
        List<CompletableFuture<Void>> depFutures = new ArrayList<>(deps.size());
        for (String dep : deps) {
            depFutures.add(ensure(dep, manual, path));
        }
        path.remove(name);

        StartOp op = new StartOp(c, manual, false);
        c.start = op;
        c.startRequestedMillis = op.requestedAt;
        c.lastFailure = null;
        stats.startAttempt(name);
        listener.onStartRequested(name);
        log.info("start requested: {} ({})", name, c.state.wireName());
        op.armTimeout();
        CompletableFuture<Void> depsReady = new CompletableFuture<>();
        Futures.joinFailFast(depFutures, depsReady);
        depsReady.whenCompleteAsync((v, ex) -> {
            if (ex != null) {
                op.failWith(StartFailure.of(name, ex));
            } else {
                op.begin();
            }
        }, lane);
        return op.future;
    }

    private static boolean allReady(List<ManagedContainer> containers) {
        for (ManagedContainer d : containers) {
            if (!d.ready) {
                return false;
            }
        }
        return true;
    }

    private static StartFailure autoStartDisabled(String name) {
        return new StartFailure(name, StartFailure.Kind.AUTO_START_DISABLED, "auto-start is disabled");
    }

    /** Fails every start in progress (the engine went away). Lane only. */
    void failAll(StartFailure.Kind kind, String reason) {
        for (ManagedContainer c : registry.all()) {
            if (c.start != null) {
                c.start.fail(kind, reason);
            }
        }
    }

    /** An engine event about {@code c}: handed to its start if one runs, else to the registry. Lane only. */
    void onEvent(ManagedContainer c, WorkloadEvent e) {
        c.changes++;
        if (c.start != null) {
            c.start.onEvent(e);
        } else if (c.stop == null) {
            registry.applyEvent(c, e);
            if (e.type() == WorkloadEvent.Type.KILL) {
                // A process may survive the signal: ask the engine again once the die event had its chance.
                lane.schedule(() -> refresh(c), KILL_RECHECK);
            } else if (e.type() == WorkloadEvent.Type.UNPAUSE) {
                verifyThawed(c);
            }
        }
        // During a stop, the stop's own completion inspects and decides the state.
    }

    /**
     * A remote cordon on {@code c} went away: whether the container was stopped meanwhile is for
     * the engine to say (its events may lag the lift), so it is not ready until inspected. Lane only.
     */
    void recheck(ManagedContainer c) {
        if (c.state == ContainerState.READY || c.state == ContainerState.RUNNING) {
            c.setState(ContainerState.UNKNOWN);
        }
        if (c.start == null && c.stop == null) {
            refresh(c);
        }
    }

    /**
     * Lists the engine again and reconciles; marks the engine (un)available. The listing is asked
     * for on the lane, and a container that an event or an operation changed while it was under
     * way keeps what the lane knows: the listing was taken before that change (or is not known to
     * be after it), and the events that follow it are the newer view.
     */
    CompletableFuture<Void> resync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lane.execute(() -> {
            Map<ManagedContainer, Long> asked = registry.changeCounts();
            provider.list().whenCompleteAsync((infos, ex) -> {
                if (ex != null) {
                    registry.markUnavailable(Futures.message(ex));
                    log.warn("listing containers failed: {}", registry.runtimeProblem());
                } else {
                    registry.markAvailable();
                    registry.reconcile(infos, asked);
                    for (ManagedContainer c : registry.all()) {
                        verifyIfRunning(c);
                    }
                }
                done.complete(null);
            }, lane);
        });
        return done;
    }

    /**
     * A container found running whose readiness is a probe (no HEALTHCHECK, an upstream) is probed
     * now, not taken as ready: it may have been started a moment before the proxy and still be
     * booting. Requests for it park on this verification as on a start; nothing is started, and it
     * counts as no start attempt. Lane only.
     */
    void verifyIfRunning(ManagedContainer c) {
        if (c.state != ContainerState.RUNNING || c.start != null || c.stop != null || c.hasHealthcheck
                || !ContainerRegistry.needsProbe(c)) {
            return;
        }
        StartOp op = new StartOp(c, false, true);
        c.start = op;
        c.startRequestedMillis = op.requestedAt;
        log.info("{} found running: probing its upstream before sending it requests", c.name);
        op.armTimeout();
        op.begin();
    }

    /**
     * A container someone else unpaused: checked as after our own unpause (a probe against its
     * upstream, else the engine saying it runs) before it takes requests again. Lane only.
     */
    private void verifyThawed(ManagedContainer c) {
        if (c.state != ContainerState.RUNNING || c.start != null || c.stop != null) {
            return;
        }
        StartOp op = new StartOp(c, false, true);
        op.thawed = true;
        c.start = op;
        log.info("{} unpaused by someone else: checking it before sending it requests", c.name);
        op.armTimeout();
        op.begin();
    }

    /**
     * Re-reads one container's state after an operation left it uncertain; an event or operation
     * meanwhile is newer than the answer, which is then dropped. Lane only.
     */
    private void refresh(ManagedContainer c) {
        long asked = c.changes;
        provider.inspect(c.name).whenCompleteAsync((info, ex) -> {
            if (ex == null && c.start == null && c.stop == null && c.changes == asked) {
                registry.applyInfo(c, info);
            }
        }, lane);
    }

    private enum Step { READY, NOT_YET }

    /**
     * One start of one container, from "requested" to ready or failed. Lane only. Steps:
     * wait out a stop in progress → (inspect when the state is unknown) → take the start lease →
     * {@code provider.start} → poll readiness with backoff, also woken by engine events.
     */
    final class StartOp {
        final ManagedContainer c;
        final boolean manual;
        /** Only probes a container found running ({@link #verifyIfRunning}): no start, no start statistics. */
        final boolean verifyOnly;
        final long requestedAt;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        private boolean done;
        private boolean leaseHeld;
        /** The lease request failed without an answer: it may have been set, so it is released at the end anyway. */
        private boolean leaseUncertain;
        private @Nullable ScheduledFuture<?> leaseRenewal;
        private boolean startIssued;
        private boolean seenRunning;
        private boolean peerStarting;
        private boolean pollInFlight;
        /** Waiting out a stop (ours, or another instance's cordon): nothing may finish the op meanwhile. */
        private boolean deferred;
        /**
         * Sent a deadly signal by someone else and not dead yet: a start now would find the dying
         * process still running (a no-op), and its exit would then read as this start failing.
         */
        private boolean awaitingDeath;
        /** It is paused: woken by {@code provider.unpause}, not a start (the engine refuses to start a paused container). */
        private boolean wakeByUnpause;
        /**
         * Found paused in this op (whoever unpauses it): the process ran before, so readiness is a
         * probe against its upstream (else the engine saying it runs), never the HEALTHCHECK status,
         * which Docker reports as "unhealthy" while a container is paused and until its next check
         * after the unpause. But only once the engine has said it is thawed ({@link #thawConfirmed}):
         * the kernel completes a TCP handshake for a frozen process, so a probe alone could pass.
         */
        boolean thawed;
        /** The engine said it runs (not paused) since it was found paused: an unpause answered, or an inspect. */
        private boolean thawConfirmed;
        private @Nullable ScheduledFuture<?> deathCheck;
        private int polls;
        private long startCalledAt;
        private long lastInspectAt;
        private boolean inspectNext;
        private @Nullable ScheduledFuture<?> timeout;
        private @Nullable ScheduledFuture<?> nextPoll;
        /**
         * For a Swarm service: the engine said every replica runs (the provider's "running"). Its
         * probe counts only after that: one replica answering is not the service awake.
         */
        private boolean replicasUp;

        StartOp(ManagedContainer c, boolean manual, boolean verifyOnly) {
            this.c = c;
            this.manual = manual;
            this.verifyOnly = verifyOnly;
            this.requestedAt = clock.millis();
        }

        void armTimeout() {
            Duration limit = settings.startupTimeout();
            timeout = lane.schedule(() -> fail(StartFailure.Kind.TIMEOUT, "not ready after " + Durations.format(limit)),
                    limit);
        }

        void begin() {
            if (done) {
                return;
            }
            if (c.remoteCordon != null) {
                // Another instance is stopping it: wait for that, then start afresh (or go on, if it
                // called the stop off); recheck() has it inspected first.
                deferred = true;
                cordons.lifted(c).whenCompleteAsync((v, ex) -> resume(), lane);
                return;
            }
            if (c.stop != null) {
                // Cordoned for a stop: let it finish, then start afresh.
                deferred = true;
                c.stop.whenCompleteAsync((v, ex) -> resume(), lane);
                return;
            }
            switch (c.state) {
                case READY -> succeed();
                case STOPPING -> awaitDeath();
                case PAUSED -> {
                    wakeByUnpause = true;
                    pausedNow();
                    acquireAndStart();
                }
                case RUNNING -> {
                    seenRunning = true;
                    poll();
                }
                case MISSING, UNKNOWN -> provider.inspect(c.name).whenCompleteAsync((info, ex) -> {
                    if (done) {
                        return;
                    }
                    if (ex != null) {
                        failOnEngine(ex);
                    } else if (info.status() == WorkloadInfo.Status.MISSING) {
                        c.setState(ContainerState.MISSING);
                        fail(StartFailure.Kind.MISSING, "no such container");
                    } else if (info.running()) {
                        c.hasHealthcheck = info.hasHealthcheck();
                        c.health = info.health();
                        seenRunning = true;
                        poll();
                    } else if (info.status() == WorkloadInfo.Status.PAUSED) {
                        c.hasHealthcheck = info.hasHealthcheck();
                        c.health = info.health();
                        wakeByUnpause = true;
                        pausedNow();
                        acquireAndStart();
                    } else {
                        c.hasHealthcheck = info.hasHealthcheck();
                        acquireAndStart();
                    }
                }, lane);
                default -> acquireAndStart();
            }
        }

        /** It was found paused: readiness waits for the engine to say it runs again. */
        private void pausedNow() {
            thawed = true;
            thawConfirmed = false;
        }

        private void resume() {
            deferred = false;
            begin();
        }

        /** Waits for the die event of a container killed by someone else, or asks the engine after KILL_RECHECK. */
        private void awaitDeath() {
            awaitingDeath = true;
            deathCheck = lane.schedule(this::deathSettled, KILL_RECHECK);
        }

        /** The die event came, or KILL_RECHECK passed without one (it may have survived the signal). */
        private void deathSettled() {
            if (done || !awaitingDeath) {
                return;
            }
            awaitingDeath = false;
            if (deathCheck != null) {
                deathCheck.cancel(false);
                deathCheck = null;
            }
            if (c.state == ContainerState.STOPPING) {
                c.setState(ContainerState.UNKNOWN); // no die event: begin() inspects
            }
            begin();
        }

        private void acquireAndStart() {
            if (!manual && !settings.autoStart()) {
                failWith(autoStartDisabled(c.name));
                return;
            }
            c.setState(ContainerState.STARTING);
            Futures.attempt(() -> store.tryAcquireLease(leaseName(), instanceId, START_LEASE_TTL))
                    .whenCompleteAsync((got, ex) -> {
                if (ex != null) {
                    storeHealth.failed("start lease", ex);
                    leaseUncertain = true;
                    if (!done) {
                        callStart();
                    } else {
                        releaseLease();
                    }
                    return;
                }
                storeHealth.succeeded();
                if (done) {
                    if (Boolean.TRUE.equals(got)) {
                        store.releaseLease(leaseName(), instanceId);
                    }
                } else if (Boolean.TRUE.equals(got)) {
                    if (!leaseHeld) { // asked again (it was paused again meanwhile): renewed already
                        leaseHeld = true;
                        renewLeaseLater();
                    }
                    callStart();
                } else {
                    // Another instance is starting it: watch for readiness instead.
                    if (!peerStarting) {
                        log.info("{} is being started by another instance; waiting for it", c.name);
                    }
                    peerStarting = true;
                    schedulePoll();
                }
            }, lane);
        }

        private String leaseName() {
            return "start:" + c.name;
        }

        private void renewLeaseLater() {
            leaseRenewal = lane.schedule(() -> {
                if (done || !leaseHeld) {
                    return;
                }
                Futures.attempt(() -> store.renewLease(leaseName(), instanceId, START_LEASE_TTL))
                        .whenCompleteAsync((ok, ex) -> {
                            if (ex == null && Boolean.TRUE.equals(ok)) {
                                renewLeaseLater();
                            } else if (!done) {
                                log.debug("{}: start lease not renewed ({})", c.name,
                                        ex == null ? "taken over" : Futures.message(ex));
                            }
                        }, lane);
            }, START_LEASE_TTL.dividedBy(3));
        }

        private void callStart() {
            peerStarting = false;
            stats.startIssued(c.name);
            listener.onStartIssued(c.name);
            startCalledAt = clock.millis();
            lastInspectAt = startCalledAt;
            boolean unpause = wakeByUnpause;
            if (unpause) {
                log.info("unpausing {}", c.name);
            }
            CompletableFuture<Void> started = unpause ? provider.unpause(c.name) : provider.start(c.name);
            if (probes() && !unpause) {
                // The engine runs the process before its start call returns (often by tens of ms):
                // probe from now on, so a fast container is served as soon as it answers. Not for
                // an unpause: the kernel completes a TCP handshake for a frozen process, so a TCP
                // probe would pass before it runs; it is probed once the engine says it is thawed.
                schedulePoll();
            }
            started.whenCompleteAsync((v, ex) -> {
                if (done) {
                    return;
                }
                if (ex != null) {
                    failOnEngine(ex);
                    return;
                }
                startIssued = true;
                if (unpause) {
                    wakeByUnpause = false;
                    thawConfirmed = true; // the engine answered the unpause: it is not paused
                }
                c.runningSinceMillis = clock.millis();
                poll();
            }, lane);
        }

        /**
         * The engine answered a start or an inspect with a failure: decided on its kind. An engine
         * that is gone or did not answer is said so (and never replayed); a container it does not
         * know is MISSING; anything else is the engine's refusal, in its own words.
         */
        private void failOnEngine(Throwable ex) {
            StartFailure f = StartFailure.of(c.name, ex);
            switch (f.kind()) {
                case RUNTIME_UNAVAILABLE -> fail(StartFailure.Kind.RUNTIME_UNAVAILABLE, f.reason());
                case MISSING -> {
                    c.setState(ContainerState.MISSING);
                    fail(StartFailure.Kind.MISSING, "no such container");
                }
                default -> fail(StartFailure.Kind.FAILED, f.reason());
            }
        }

        private void schedulePoll() {
            if (done) {
                return;
            }
            long delay;
            if (probes() && startCalledAt != 0 && clock.millis() - startCalledAt < FAST_WINDOW.toMillis()) {
                delay = FIRST_POLL.toMillis();
            } else {
                delay = Math.min(FIRST_POLL.toMillis() << Math.min(polls, 16), MAX_POLL.toMillis());
                polls++;
            }
            if (nextPoll != null) {
                nextPoll.cancel(false);
            }
            nextPoll = lane.schedule(this::poll, Duration.ofMillis(delay));
        }

        /** How long the container has been running as far as we know; long when it was already running. */
        private long runningFor() {
            return c.runningSinceMillis == 0 ? Long.MAX_VALUE : clock.millis() - c.runningSinceMillis;
        }

        /** One readiness check now; its outcome either finishes the op or schedules the next. */
        void poll() {
            if (done || pollInFlight || deferred) {
                return;
            }
            pollInFlight = true;
            ContainerSpec spec = c.spec;
            if (!probes()) {
                lastInspectAt = clock.millis();
                provider.inspect(c.name).whenCompleteAsync((info, ex) -> {
                    pollInFlight = false;
                    observe(null, ex == null ? info : null);
                }, lane);
                return;
            }
            HostPort upstream = spec.upstream().orElseThrow(); // probes() says it has one
            String path = spec.health().path();
            CompletableFuture<Boolean> check = spec.health().kind() == HealthProbe.Kind.HTTP && path != null
                    ? probe.http(upstream, path, PROBE_TIMEOUT)
                    : probe.tcp(upstream, PROBE_TIMEOUT);
            check.whenCompleteAsync((ok, ex) -> {
                if (done) {
                    pollInFlight = false;
                    return;
                }
                // found paused and not yet said thawed: a probe that passes is asked of the engine too
                boolean mustAsk = thawed && !thawConfirmed;
                if (ex == null && Boolean.TRUE.equals(ok) && !mustAsk) {
                    pollInFlight = false;
                    observe(Boolean.TRUE, null);
                    return;
                }
                boolean answered = ex == null && Boolean.TRUE.equals(ok);
                long now = clock.millis();
                if (!inspectNext && !mustAsk && now - lastInspectAt < MAX_POLL.toMillis()) {
                    pollInFlight = false;
                    observe(Boolean.FALSE, null);
                    return;
                }
                Throwable unresolved = ex == null ? null : Futures.unwrap(ex);
                // Not answering yet: ask the engine whether it still runs at all.
                inspectNext = false;
                lastInspectAt = now;
                provider.inspect(c.name).whenCompleteAsync((info, ex2) -> {
                    pollInFlight = false;
                    if (unresolved instanceof UnknownHostException && ex2 == null && info.running()
                            && runningFor() >= UNRESOLVED_GRACE.toMillis()) {
                        // A compose service name resolves once its container runs (the engine
                        // attaches it to the network before starting it); still unknown while it
                        // runs means it never will here (e.g. not on the proxy's network): say so
                        // now rather than at the startup timeout.
                        fail(StartFailure.Kind.FAILED, unresolved.getMessage() + " (upstream of " + c.name
                                + "): is the proxy on the container's network?");
                        return;
                    }
                    observe(answered, ex2 == null ? info : null);
                }, lane);
            }, lane);
        }

        /**
         * Decides from one observation: a probe result (null when not probed) and the engine's view
         * (null when not asked or when the inspect failed: a transient engine hiccup just means "not yet").
         */
        private void observe(@Nullable Boolean probeOk, @Nullable WorkloadInfo info) {
            if (done) {
                return;
            }
            if (info != null) {
                replicasUp = info.running();
                switch (info.status()) {
                    case MISSING -> {
                        c.setState(ContainerState.MISSING);
                        fail(StartFailure.Kind.MISSING, "no such container");
                        return;
                    }
                    case RUNNING -> {
                        seenRunning = true;
                        thawConfirmed = true;
                        c.hasHealthcheck = info.hasHealthcheck();
                        c.health = info.health();
                    }
                    case PAUSED -> {
                        // Paused (again) by someone, or an instance that was waking it gave up:
                        // wake it ourselves, under the start lease as any start.
                        wakeByUnpause = true;
                        pausedNow();
                        acquireAndStart();
                        return;
                    }
                    case EXITED, DEAD, CREATED -> {
                        if ((startIssued || seenRunning) && info.status() != WorkloadInfo.Status.CREATED) {
                            c.setState(ContainerState.STOPPED);
                            c.runningSinceMillis = 0;
                            fail(StartFailure.Kind.FAILED, "exited with code " + info.exitCode());
                            return;
                        }
                        if (peerStarting) {
                            // The other instance may have given up: try the lease again.
                            acquireAndStart();
                            return;
                        }
                    }
                    default -> {
                    }
                }
            }
            Step step;
            if (thawed && !thawConfirmed) {
                step = Step.NOT_YET; // still frozen as far as the engine has said
            } else if (c.hasHealthcheck && !thawed) {
                if (c.health == WorkloadInfo.Health.UNHEALTHY) {
                    c.setState(ContainerState.RUNNING);
                    fail(StartFailure.Kind.FAILED, "unhealthy");
                    return;
                }
                step = c.health == WorkloadInfo.Health.HEALTHY && (info == null || info.running())
                        ? Step.READY : Step.NOT_YET;
            } else if (probeOk != null) {
                step = probeOk ? Step.READY : Step.NOT_YET;
            } else if (c.spec.workload().isService() && probes()) {
                // A service whose replicas just all came up: its probe decides, now.
                pollNow();
                return;
            } else {
                step = info != null && info.running() ? Step.READY : Step.NOT_YET;
            }
            if (step == Step.READY) {
                succeed();
            } else {
                schedulePoll();
            }
        }

        void onEvent(WorkloadEvent e) {
            if (awaitingDeath && !done) {
                registry.applyEvent(c, e);
                switch (e.type()) {
                    case DIE, STOP, DESTROY, START -> deathSettled();
                    default -> {
                    }
                }
                return;
            }
            if (done || (deferred && e.type() != WorkloadEvent.Type.DESTROY)) {
                // While a stop is waited out, the container may still look healthy and running:
                // whatever it says now is decided again once the stop is over.
                return;
            }
            switch (e.type()) {
                case HEALTH_STATUS -> {
                    c.hasHealthcheck = true;
                    c.health = e.health() == null ? WorkloadInfo.Health.NONE : e.health();
                    if (c.health == WorkloadInfo.Health.HEALTHY) {
                        succeed();
                    } else if (c.health == WorkloadInfo.Health.UNHEALTHY && !thawed) {
                        c.setState(ContainerState.RUNNING);
                        fail(StartFailure.Kind.FAILED, "unhealthy");
                    }
                }
                case START -> {
                    seenRunning = true;
                    pollNow();
                }
                // A DIE may be stale (from the stop we waited out): let an inspect decide; so may
                // a PAUSE or UNPAUSE (someone froze it, or the instance waking it thawed it).
                case KILL, DIE, STOP, PAUSE, UNPAUSE -> {
                    inspectNext = true;
                    pollNow();
                }
                case DESTROY -> {
                    c.setState(ContainerState.MISSING);
                    fail(StartFailure.Kind.MISSING, "no such container");
                }
                default -> {
                }
            }
        }

        /**
         * True when readiness is a probe against the upstream, false when it is an engine inspect
         * (also for a Swarm service until every replica runs).
         */
        private boolean probes() {
            return (thawed || !c.hasHealthcheck) && c.spec.upstream().isPresent()
                    && (replicasUp || !c.spec.workload().isService());
        }

        private void pollNow() {
            if (nextPoll != null) {
                nextPoll.cancel(false);
                nextPoll = null;
            }
            poll();
        }

        private void succeed() {
            if (done) {
                return;
            }
            if (c.remoteCordon != null || c.stop != null) {
                begin(); // a stop began meanwhile: wait it out first
                return;
            }
            done = true;
            cancelTimers();
            long now = clock.millis();
            if (c.runningSinceMillis == 0) {
                c.runningSinceMillis = now;
            }
            long millis = now - requestedAt;
            if (startIssued || startCalledAt != 0) {
                c.lastStartedMillis = now;
                c.coldStarts.record(millis); // a cold start of our own: what a visitor waits for next time
            }
            c.recentFailure = null;
            c.lastFailure = null;
            c.startRequestedMillis = 0;
            c.start = null;
            c.setState(ContainerState.READY);
            releaseLease();
            if (verifyOnly) {
                log.info("{} ready: its probe answered after {} ms", c.name, millis);
            } else {
                stats.startSucceeded(c.name);
                log.info("{} ready after {} ms", c.name, millis);
                listener.onReady(c.name, millis);
            }
            future.complete(null);
        }

        void fail(StartFailure.Kind kind, String reason) {
            failWith(new StartFailure(c.name, kind, reason));
        }

        void failWith(StartFailure failure) {
            if (done) {
                return;
            }
            done = true;
            cancelTimers();
            c.start = null;
            c.startRequestedMillis = 0;
            c.lastFailure = failure;
            if (failure.kind() == StartFailure.Kind.FAILED || failure.kind() == StartFailure.Kind.MISSING) {
                c.recentFailure = failure;
                c.recentFailureUntilMillis = clock.millis() + FAILURE_HOLD.toMillis();
            }
            releaseLease();
            boolean ownFailure = c.name.equals(failure.container());
            if (ownFailure && c.state == ContainerState.STARTING) {
                // Where it ended up is uncertain (timeout, engine error): ask the engine.
                c.setState(ContainerState.UNKNOWN);
                refresh(c);
            }
            if (verifyOnly) {
                log.warn("{} runs but is not ready: {}", c.name, failure.reason());
                future.completeExceptionally(failure);
                return;
            }
            stats.startFailed(c.name);
            if (ownFailure) {
                log.warn("{} failed to start: {}", c.name, failure.reason());
            } else {
                log.warn("{} not started: dependency {} failed: {}", c.name, failure.container(), failure.reason());
            }
            listener.onStartFailed(c.name, failure.kind(), failure.reason());
            future.completeExceptionally(failure);
        }

        private void cancelTimers() {
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (leaseRenewal != null) {
                leaseRenewal.cancel(false);
            }
            if (nextPoll != null) {
                nextPoll.cancel(false);
            }
            if (deathCheck != null) {
                deathCheck.cancel(false);
            }
        }

        private void releaseLease() {
            if (leaseHeld || leaseUncertain) {
                leaseHeld = false;
                leaseUncertain = false;
                store.releaseLease(leaseName(), instanceId)
                        .whenComplete((v, ex) -> {
                            if (ex != null) {
                                storeHealth.failed("release start lease", ex);
                            }
                        });
            }
        }
    }

    // ------------------------------------------------------------------ stop

    /**
     * Cordons {@code c} (isReady turns false, new requests park), then, if {@code stillIdle} agrees,
     * stops it. Completes with true when stopped, false when it was found busy after cordoning
     * (then it is uncordoned again), exceptionally when the engine refused. Lane only.
     *
     * <p>Re-checking after the cordon closes the race with a request that read "ready" just before:
     * the data path increments in-flight before it forwards, so either this sees the request or
     * the request sees the cordon.
     */
    CompletableFuture<Boolean> stop(ManagedContainer c, String reason, BooleanSupplier stillIdle) {
        return sleep(c, SleepMode.STOP, reason, stillIdle);
    }

    /**
     * Puts {@code c} to sleep the way its {@code sleep} setting says: {@link #stop} or a pause,
     * with the same cordon and re-check. Lane only.
     */
    CompletableFuture<Boolean> sleep(ManagedContainer c, String reason, BooleanSupplier stillIdle) {
        return sleep(c, c.spec.sleep().mode(), reason, stillIdle);
    }

    /**
     * The stop or pause itself. A pause runs exactly as a stop does: cordoned first, in state
     * STOPPING while the engine freezes it ({@link ManagedContainer#stop} set, so requests arriving
     * meanwhile park and wake it afterwards), then the engine is asked where it ended up (PAUSED).
     */
    private CompletableFuture<Boolean> sleep(ManagedContainer c, SleepMode mode, String reason,
                                             BooleanSupplier stillIdle) {
        if (c.stop != null) {
            return c.stop.thenApply(v -> true);
        }
        if (c.start != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(c.name + " is starting"));
        }
        c.setCordoned(true);
        if (!stillIdle.getAsBoolean()) {
            c.setCordoned(false);
            return CompletableFuture.completedFuture(false);
        }
        c.setState(ContainerState.STOPPING);
        CompletableFuture<Void> done = new CompletableFuture<>();
        c.stop = done;
        stats.stopAttempt(c.name);
        boolean pause = mode == SleepMode.PAUSE;
        String doing = pause ? "pausing" : "stopping";
        log.info("{} {}: {}", doing, c.name, reason);
        Futures.attempt(() -> pause ? provider.pause(c.name) : provider.stop(c.name, stopGrace)).whenCompleteAsync((v, ex) -> {
            if (ex == null) {
                // Events that came during the stop were left to this: the engine says where it ended
                // up (someone may have started it again meanwhile).
                Futures.attempt(() -> provider.inspect(c.name)).whenCompleteAsync((info, ex2) -> {
                    c.stop = null;
                    c.lastStoppedMillis = clock.millis();
                    if (ex2 == null) {
                        registry.applyInfo(c, info);
                    } else if (pause) {
                        c.setState(ContainerState.PAUSED);
                    } else {
                        c.setState(ContainerState.STOPPED);
                        c.runningSinceMillis = 0;
                    }
                    c.setCordoned(false);
                    stats.stopSucceeded(c.name);
                    log.info("{} {}: {}", c.name, pause ? "paused" : "stopped", reason);
                    listener.onStopped(c.name, reason);
                    done.complete(null);
                }, lane);
            } else {
                c.stop = null;
                String msg = Futures.message(ex);
                c.setState(ContainerState.UNKNOWN);
                c.setCordoned(false);
                stats.stopFailed(c.name);
                log.warn("{} {} failed: {}", doing, c.name, msg);
                listener.onStopFailed(c.name, msg);
                refresh(c);
                done.completeExceptionally(Futures.unwrap(ex));
            }
        }, lane);
        return done.thenApply(v -> true);
    }
}
