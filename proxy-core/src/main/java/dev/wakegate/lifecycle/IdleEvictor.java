package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.Durations;
import dev.wakegate.config.IdleVeto;
import dev.wakegate.config.Priority;
import dev.wakegate.state.StateStore;
import dev.wakegate.state.StateStore.Peer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The idle rule (docs/redis.md has the protocol across instances). Every {@code idle_check_interval}
 * the instance that holds the {@code idle-check} lease puts to sleep (stops, or pauses for
 * {@code sleep: pause}: {@link StartupCoordinator#sleep}) the containers that are
 * <ul>
 *   <li>not CRITICAL, with auto-stop on,</li>
 *   <li>idle longer than their timeout: last access (local or shared, whichever is later, never
 *       counted from before the container last started) and the last access of every container
 *       that depends on it, since a dependency serves its dependants' requests,</li>
 *   <li>not needed by a running container (a dependency is never stopped before its dependants),</li>
 *   <li>without an in-flight request or open connection to it or to a container that depends on
 *       it, here or in any other instance's published usage,</li>
 *   <li>outside their keep-awake windows ({@link KeepAwake}),</li>
 *   <li>and not busy by their own say: an {@code idle_veto} is asked of each such candidate at
 *       once, bounded by {@link dev.wakegate.config.IdleVeto#TIMEOUT}; a 200 keeps it this cycle,</li>
 * </ul>
 * most idle first, at most {@code max_stops_per_cycle}, keeping {@code min_running} managed
 * containers running.
 *
 * <p>Under memory pressure ({@code automation.min_free_memory} set and the {@link MemoryGauge},
 * read once per check, below it) the idle timeout is shortened to {@link #PRESSURE_IDLE_FLOOR} (at
 * least one {@code idle_check_interval}), and nothing else: every rule above holds for these early
 * sleeps too. Candidates are then taken lowest priority first (low, normal, high), then most idle.
 * A container with {@code sleep: pause} never sleeps early: paused, it keeps its memory.
 * Memory that cannot be read counts as no pressure.
 *
 * <p>Safety across instances, in order: no check without a valid lease (renewed while the check
 * runs, so a long cycle is never joined by a second leader); none while the {@link EvictionGuard}
 * says the others' activity cannot be read, or while a known instance is unaccounted for
 * ({@link Membership}); any failure to read shared activity ends the check with nothing stopped.
 * Then each chosen container is cordoned here and in the store, and stopped only when every live
 * instance has acknowledged the cordon with nothing in use, the shared activity read again still
 * says idle, and the lease is still held. A single instance on the in-memory store runs the same
 * steps without anyone to wait for.
 */
public final class IdleEvictor {
    private static final Logger log = LoggerFactory.getLogger(IdleEvictor.class);
    static final String LEASE = "idle-check";
    /** How long the leader waits for every live instance to acknowledge a cordon: three heartbeats. */
    static final Duration ACK_WAIT = Lifecycle.HEARTBEAT_INTERVAL.multipliedBy(3);
    static final Duration ACK_POLL = Duration.ofMillis(200);
    private static final Duration MIN_LEASE = Duration.ofSeconds(2);
    /**
     * How long a container must have been idle to sleep early under memory pressure (or one
     * {@code idle_check_interval}, if longer): a container just used is likely to be used again
     * within seconds (a page's next request, a retry), and stopping it would only trade memory for a
     * cold start that needs the memory back; a whole check interval also means it was seen idle at
     * one check before it can be put to sleep at the next.
     */
    static final Duration PRESSURE_IDLE_FLOOR = Duration.ofMinutes(1);

    private final ContainerRegistry registry;
    private final StartupCoordinator coordinator;
    private final StateStore store;
    private final StoreHealth storeHealth;
    private final EvictionGuard guard;
    private final Membership membership;
    private final AutomationSettings settings;
    private final Clock clock;
    private final LifecycleExecutor lane;
    private final String instanceId;
    private final LifecycleStats stats;
    private final Duration stopGrace;
    private final KeepAwake keepAwake;
    private final ReadinessProbe probe;
    private final MemoryGauge memory;
    private volatile @Nullable MemoryReading lastMemory;
    private boolean memoryUnreadable; // lane only: warn once per stretch of unreadable readings
    private final AtomicLong cordonSequence = new AtomicLong();
    private @Nullable CompletableFuture<IdleCheckReport> running;
    private boolean closed;

    IdleEvictor(ContainerRegistry registry, StartupCoordinator coordinator, StateStore store, StoreHealth storeHealth,
                EvictionGuard guard, Membership membership, AutomationSettings settings, Clock clock,
                LifecycleExecutor lane, String instanceId, LifecycleStats stats, Duration stopGrace,
                KeepAwake keepAwake, ReadinessProbe probe, MemoryGauge memory) {
        this.registry = registry;
        this.coordinator = coordinator;
        this.store = store;
        this.storeHealth = storeHealth;
        this.guard = guard;
        this.membership = membership;
        this.settings = settings;
        this.clock = clock;
        this.lane = lane;
        this.instanceId = instanceId;
        this.stats = stats;
        this.stopGrace = stopGrace;
        this.keepAwake = keepAwake;
        this.probe = probe;
        this.memory = memory;
    }

    /**
     * What the last check read of the memory ({@code min_free_memory} set); null before the first
     * read or when it is off. Any thread: the admin endpoints and the metric read it rather than the
     * file, so they never block.
     */
    @Nullable MemoryReading lastMemory() {
        return lastMemory;
    }

    /** One read of the gauge: {@code available} null when it could not be read. */
    record MemoryReading(Instant at, @Nullable Long available, long minFree) {
        boolean pressure() {
            return available != null && available < minFree;
        }

        /** "memory pressure: 300 MiB available, min_free_memory 512 MiB" and the like. */
        String describe() {
            String min = "min_free_memory " + mib(minFree);
            if (available == null) {
                return "available memory unknown (MemAvailable unreadable), " + min + ": no early sleep";
            }
            return (pressure() ? "memory pressure: " : "no memory pressure: ") + mib(available) + " available, " + min;
        }

        private static String mib(long bytes) {
            return bytes % (1L << 20) == 0 || bytes >= (100L << 20)
                    ? (bytes >> 20) + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
    }

    /** Reads the memory for this check; null when {@code min_free_memory} is off. */
    private @Nullable MemoryReading readMemory() {
        if (!settings.sleepsEarlyUnderPressure()) {
            return null;
        }
        java.util.OptionalLong available;
        try {
            available = memory.availableBytes();
        } catch (RuntimeException e) {
            available = java.util.OptionalLong.empty();
        }
        MemoryReading r = new MemoryReading(clock.instant(),
                available.isPresent() ? available.getAsLong() : null, settings.minFreeMemory());
        lastMemory = r;
        if (r.available() == null && !memoryUnreadable) {
            log.warn("min_free_memory is set but MemAvailable (/proc/meminfo) cannot be read: no early sleep until it can");
        } else if (r.available() != null && memoryUnreadable) {
            log.info("MemAvailable readable again: min_free_memory applies");
        }
        memoryUnreadable = r.available() == null;
        return r;
    }

    /** The idle time after which a container sleeps early under pressure: the floor, or one check interval if longer. */
    Duration pressureIdleFloor() {
        Duration interval = settings.idleCheckInterval();
        return interval.compareTo(PRESSURE_IDLE_FLOOR) > 0 ? interval : PRESSURE_IDLE_FLOOR;
    }

    /** Runs one check now (any thread); a check already running is shared rather than doubled. */
    CompletableFuture<IdleCheckReport> runCheck() {
        CompletableFuture<IdleCheckReport> result = new CompletableFuture<>();
        lane.execute(() -> {
            if (running == null || running.isDone()) {
                running = new CompletableFuture<>();
                check(new Cycle(running));
            }
            running.whenComplete((r, ex) -> {
                if (ex != null) {
                    result.completeExceptionally(ex);
                } else {
                    result.complete(r);
                }
            });
        });
        return result;
    }

    /**
     * The lease lasts two check intervals (at least two seconds) and is not given
     * back after a check: the leader extends it at its next check, so one instance checks per
     * interval however many run, and another takes over within two intervals of its death.
     */
    Duration leaseTtl() {
        Duration twice = settings.idleCheckInterval().multipliedBy(2);
        return twice.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : twice;
    }

    /** Gives the lease up (shutdown), so another instance takes over at its next check. Lane only. */
    void close() {
        closed = true;
        store.releaseLease(LEASE, instanceId);
    }

    // ---------------------------------------------------------------- one check

    /** One check in progress: its result, its lease, and what it decided. Lane only. */
    private final class Cycle {
        final CompletableFuture<IdleCheckReport> result;
        final Instant at = clock.instant();
        final Map<String, String> skipped = new LinkedHashMap<>();
        final List<String> stopped = new ArrayList<>();
        @Nullable MemoryReading memory;
        long leaseValidUntil;
        @Nullable ScheduledFuture<?> renewal;
        boolean leaseHeld;

        Cycle(CompletableFuture<IdleCheckReport> result) {
            this.result = result;
        }

        /** The lease was granted by a request sent at {@code sentAt}: valid until a margin before its expiry. */
        void leaseGranted(long sentAt) {
            leaseHeld = true;
            Duration ttl = leaseTtl();
            leaseValidUntil = sentAt + ttl.toMillis() - ttl.toMillis() / 4;
        }

        boolean leaseValid() {
            return leaseHeld && clock.millis() < leaseValidUntil;
        }

        void renewEvery(Duration period) {
            renewal = lane.schedule(this::renew, period);
        }

        private void renew() {
            if (result.isDone()) {
                return;
            }
            long sentAt = clock.millis();
            store.renewLease(LEASE, instanceId, leaseTtl()).whenCompleteAsync((ok, ex) -> {
                if (ex == null && Boolean.TRUE.equals(ok)) {
                    leaseGranted(sentAt);
                    renewEvery(leaseTtl().dividedBy(3));
                } else {
                    leaseHeld = false;
                    log.warn("idle check: the idle-check lease was lost ({}); no further stops this cycle",
                            ex == null ? "held by another instance" : Futures.message(ex));
                }
            }, lane);
        }

        void notRun(String note) {
            finish(IdleCheckReport.notRun(at, note));
        }

        void done(String note) {
            String memoryNote = memory == null ? "" : memory.describe();
            String all = note.isEmpty() ? memoryNote : memoryNote.isEmpty() ? note : note + "; " + memoryNote;
            finish(new IdleCheckReport(at, true, all, stopped, skipped));
        }

        private void finish(IdleCheckReport r) {
            if (renewal != null) {
                renewal.cancel(false);
            }
            stats.idleChecked(r);
            if (!r.stopped().isEmpty() && memory != null && memory.pressure()) {
                log.info("idle check stopped {} ({})", r.stopped(), memory.describe());
            } else if (!r.stopped().isEmpty()) {
                log.info("idle check stopped {}", r.stopped());
            } else {
                log.debug("idle check: nothing stopped ({})", r.note());
            }
            result.complete(r);
        }
    }

    private void check(Cycle cycle) {
        if (!settings.autoStop()) {
            cycle.notRun("auto_stop is disabled");
            return;
        }
        if (closed) {
            cycle.notRun("shutting down");
            return;
        }
        if (guard.blockedByStore()) {
            cycle.notRun(String.valueOf(guard.reason())); // set whenever blocked
            return;
        }
        long sentAt = clock.millis();
        Futures.attempt(() -> store.tryAcquireLease(LEASE, instanceId, leaseTtl())).whenCompleteAsync((got, ex) -> {
            if (ex != null) {
                storeHealth.failed("idle-check lease", ex);
                String why = "state store unavailable (" + Futures.message(ex) + "): no stops without the idle-check lease";
                guard.suspend(EvictionGuard.Cause.STORE_UNAVAILABLE, why);
                cycle.notRun(why);
            } else if (!Boolean.TRUE.equals(got)) {
                storeHealth.succeeded();
                guard.resume(); // not this instance's to decide; nothing is suspended here
                cycle.notRun("another instance holds the idle-check lease");
            } else {
                storeHealth.succeeded();
                cycle.leaseGranted(sentAt);
                cycle.renewEvery(leaseTtl().dividedBy(3));
                gather(cycle);
            }
        }, lane);
    }

    /** Reads the shared last access and every other instance; a failure of either ends the check. */
    private void gather(Cycle cycle) {
        CompletableFuture<Map<String, Duration>> access = Futures.attempt(store::loadAccessAges);
        CompletableFuture<Map<String, Peer>> peers = Futures.attempt(() -> store.loadPeers(instanceId));
        access.thenCombine(peers, Shared::new).whenCompleteAsync((shared, ex) -> {
            if (ex != null) {
                storeHealth.failed("load shared activity", ex);
                cycle.notRun("could not read the shared activity (" + Futures.message(ex) + "): nothing stopped");
                return;
            }
            List<String> unaccounted = membership.unaccounted(shared.peers);
            if (!unaccounted.isEmpty()) {
                String why = "instance " + String.join(", ", unaccounted)
                        + " unaccounted for: what it serves is unknown until it is heard from or presumed dead";
                guard.suspend(EvictionGuard.Cause.INSTANCE_UNACCOUNTED, why);
                cycle.notRun(why);
                return;
            }
            guard.resume();
            decide(cycle, shared);
        }, lane);
    }

    private record Shared(Map<String, Duration> accessAges, Map<String, Peer> peers) {
        /** Containers in use through the live instances: in-use counts summed over them. */
        Map<String, Integer> usage() {
            Map<String, Integer> sum = new HashMap<>();
            peers.values().forEach(p -> p.usage().forEach((name, n) -> sum.merge(name, n, Integer::sum)));
            return sum;
        }
    }

    /**
     * @param timeout how long it must stay idle to be stopped this cycle: its idle timeout, or the
     *                pressure floor when {@code early}
     * @param early   chosen before its idle timeout, because of memory pressure
     */
    private record Candidate(ManagedContainer container, long idleSince, Duration idle, Duration timeout,
                             boolean early, Duration idleTimeout) {
        /** Lowest priority first: low 0, normal 1, high 2 (critical never gets here). */
        int priorityRank() {
            return switch (container.spec.priority()) {
                case LOW -> 0;
                case NORMAL -> 1;
                case HIGH, CRITICAL -> 2;
            };
        }
    }

    /**
     * When idle time counts from for {@code c}: its own idle start, or the last access of any
     * container that depends on it, whichever is later.
     */
    private static long effectiveIdleSince(ManagedContainer c) {
        long since = c.idleSince();
        for (ManagedContainer d : c.dependants) {
            since = Math.max(since, d.lastAccess());
        }
        return since;
    }

    private void decide(Cycle cycle, Shared shared) {
        registry.applySharedAccess(shared.accessAges, clock.millis());
        Map<String, Integer> elsewhere = shared.usage();
        long now = clock.millis();
        cycle.memory = readMemory();
        boolean pressure = cycle.memory != null && cycle.memory.pressure();
        Duration floor = pressureIdleFloor();
        List<Candidate> candidates = new ArrayList<>();
        int runningCount = 0;
        for (ManagedContainer c : registry.all()) {
            ContainerState state = c.state;
            if (state.countsAsRunning()) {
                runningCount++;
            }
            String why = reasonToKeep(c, elsewhere);
            if (why != null) {
                cycle.skipped.put(c.name, why);
                continue;
            }
            // not critical (reasonToKeep kept those), so it has a timeout
            Duration timeout = Objects.requireNonNull(settings.idleTimeoutOf(c.spec));
            long idleSince = effectiveIdleSince(c);
            Duration idle = Duration.ofMillis(Math.max(0, now - idleSince));
            if (idle.compareTo(timeout) > 0) {
                candidates.add(new Candidate(c, idleSince, idle, timeout, false, timeout));
            } else if (pressure && c.spec.sleep().mode() == dev.wakegate.config.SleepMode.PAUSE) {
                // a paused container keeps its memory: sleeping it early would free nothing
                cycle.skipped.put(c.name, "idle " + Durations.approx(idle) + " of " + Durations.approx(timeout)
                        + " (sleep: pause frees no memory)");
            } else if (pressure && floor.compareTo(timeout) < 0 && idle.compareTo(floor) > 0) {
                candidates.add(new Candidate(c, idleSince, idle, floor, true, timeout));
            } else if (pressure) {
                cycle.skipped.put(c.name, "idle " + Durations.approx(idle) + " of " + Durations.approx(timeout)
                        + " (" + Durations.approx(floor) + " under memory pressure)");
            } else {
                cycle.skipped.put(c.name, "idle " + Durations.approx(idle) + " of " + Durations.approx(timeout));
            }
        }
        askVetoes(cycle, candidates, runningCount);
    }

    /**
     * Asks every candidate with an {@code idle_veto} at once (GET path on its upstream, on the
     * probe's event loop) and goes on when all have answered or {@link IdleVeto#TIMEOUT} has
     * passed, whichever is first: 200 means busy, kept this cycle as "still in use"; any other
     * status, a refused connection or no answer in time means not busy.
     */
    private void askVetoes(Cycle cycle, List<Candidate> candidates, int runningCount) {
        List<Candidate> asked = new ArrayList<>();
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (Candidate cand : candidates) {
            ContainerSpec spec = cand.container.spec;
            Optional<IdleVeto> veto = spec.sleep().idleVeto();
            if (veto.isEmpty() || spec.upstream().isEmpty()) {
                continue;
            }
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            Futures.attempt(() -> probe.status(spec.upstream().get(), veto.get().path(), IdleVeto.TIMEOUT))
                    .whenComplete((code, ex) -> answer.complete(ex == null ? code : 0));
            asked.add(cand);
            answers.add(answer);
        }
        if (asked.isEmpty()) {
            choose(cycle, candidates, runningCount);
            return;
        }
        ScheduledFuture<?> bound = lane.schedule(() -> answers.forEach(a -> a.complete(0)), IdleVeto.TIMEOUT);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenCompleteAsync((v, ex) -> {
            bound.cancel(false);
            List<Candidate> left = new ArrayList<>(candidates);
            for (int i = 0; i < asked.size(); i++) {
                Candidate cand = asked.get(i);
                if (answers.get(i).join() == 200) {
                    String path = cand.container.spec.sleep().idleVeto().map(IdleVeto::path).orElse("");
                    cycle.skipped.put(cand.container.name, "still in use: GET " + path + " answered 200 (idle_veto)");
                    left.remove(cand);
                }
            }
            choose(cycle, left, runningCount);
        }, lane);
    }

    /**
     * Most idle first (under memory pressure: lowest priority first, then most idle), within
     * max_stops_per_cycle and min_running.
     */
    private void choose(Cycle cycle, List<Candidate> candidates, int runningCount) {
        if (cycle.memory != null && cycle.memory.pressure()) {
            candidates.sort(Comparator.comparingInt(Candidate::priorityRank).thenComparingLong(Candidate::idleSince));
        } else {
            candidates.sort(Comparator.comparingLong(Candidate::idleSince));
        }
        int budget = Math.max(0, Math.min(settings.maxStopsPerCycle(), runningCount - settings.minRunning()));
        List<Candidate> chosen = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate cand = candidates.get(i);
            if (i < budget) {
                chosen.add(cand);
            } else if (runningCount - i <= settings.minRunning()) {
                cycle.skipped.put(cand.container.name, "min_running " + settings.minRunning());
            } else {
                cycle.skipped.put(cand.container.name, "max_stops_per_cycle " + settings.maxStopsPerCycle());
            }
        }
        cordon(cycle, chosen);
    }

    /** Why {@code c} stays up whatever its idle time; null when only its idle time decides. */
    private @Nullable String reasonToKeep(ManagedContainer c, Map<String, Integer> elsewhere) {
        ContainerState state = c.state;
        if (state != ContainerState.READY && state != ContainerState.RUNNING) {
            return "not running (" + state.wireName() + ")";
        }
        if (c.start != null || c.stop != null) {
            return "start or stop in progress";
        }
        if (c.spec.priority() == Priority.CRITICAL) {
            return "critical";
        }
        if (settings.idleTimeoutOf(c.spec) == null) {
            return "never stopped";
        }
        String window = keepAwake.reason(c);
        if (window != null) {
            return window;
        }
        long inFlight = Math.max(0, c.inFlight.sum());
        if (inFlight > 0) {
            return inFlight + " request(s) in flight";
        }
        long open = Math.max(0, c.openConnections.sum());
        if (open > 0) {
            return open + " open connection(s)";
        }
        for (ManagedContainer d : c.dependants) {
            if (d.state.countsAsRunning() || d.state == ContainerState.STOPPING || d.start != null) {
                return "needed by " + d.name + " (" + d.state.wireName() + ")";
            }
        }
        if (elsewhere.getOrDefault(c.name, 0) > 0) {
            return "in use by another instance";
        }
        for (ManagedContainer d : c.dependants) {
            if (elsewhere.getOrDefault(d.name, 0) > 0) {
                return "needed by " + d.name + ", in use by another instance";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- cordon, confirm, stop

    /** Still idle here: nothing in use (directly or through a dependant) and no access since the decision. */
    private static boolean stillIdle(Candidate cand) {
        ManagedContainer c = cand.container;
        return c.inUseWithDependants() == 0 && effectiveIdleSince(c) == cand.idleSince;
    }

    private void cordon(Cycle cycle, List<Candidate> chosen) {
        List<Candidate> cordoned = new ArrayList<>();
        for (Candidate cand : chosen) {
            ManagedContainer c = cand.container;
            c.setCordoned(true);
            // Re-checked after the cordon: a request either counted itself before (seen here) or
            // reads "not ready" after (and parks).
            if (stillIdle(cand)) {
                cordoned.add(cand);
            } else {
                c.setCordoned(false);
                cycle.skipped.put(c.name, "became busy");
            }
        }
        if (cordoned.isEmpty()) {
            cycle.done("");
            return;
        }
        if (!store.isShared()) {
            reread(cycle, cordoned, Map.of());
            return;
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Candidate cand : cordoned) {
            ids.put(cand.container.name, instanceId + "/" + cordonSequence.incrementAndGet());
        }
        Duration ttl = ACK_WAIT.plus(stopGrace).plusSeconds(30);
        Futures.attempt(() -> store.putCordons(ids, instanceId, ttl)).whenCompleteAsync((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("put cordons", ex);
                callOff(cycle, cordoned, ids, "could not publish the cordon (" + Futures.message(ex) + ")");
                cycle.done("");
                return;
            }
            awaitAcknowledgements(cycle, cordoned, ids, clock.millis() + ACK_WAIT.toMillis());
        }, lane);
    }

    /** Polls the peers until every live one has acknowledged every cordon, or the wait is over. */
    private void awaitAcknowledgements(Cycle cycle, List<Candidate> cordoned, Map<String, String> ids, long deadline) {
        Futures.attempt(() -> store.loadPeers(instanceId)).whenCompleteAsync((peers, ex) -> {
            if (ex != null) {
                storeHealth.failed("load acknowledgements", ex);
                callOff(cycle, cordoned, ids, "could not read the acknowledgements (" + Futures.message(ex) + ")");
                cycle.done("");
                return;
            }
            List<String> unaccounted = membership.unaccounted(peers);
            if (!unaccounted.isEmpty()) {
                callOff(cycle, cordoned, ids, "instance " + String.join(", ", unaccounted) + " unaccounted for");
                cycle.done("");
                return;
            }
            boolean pending = false;
            for (Candidate cand : cordoned) {
                String id = ids.get(cand.container.name);
                for (Peer p : peers.values()) {
                    if (p.live() && !p.acks().containsKey(id)) {
                        pending = true;
                    }
                }
            }
            if (pending && clock.millis() < deadline) {
                lane.schedule(() -> awaitAcknowledgements(cycle, cordoned, ids, deadline), ACK_POLL);
                return;
            }
            List<Candidate> clear = new ArrayList<>();
            for (Candidate cand : cordoned) {
                String why = blockingAcknowledgement(peers, ids.get(cand.container.name));
                if (why == null) {
                    clear.add(cand);
                } else {
                    callOff(cycle, List.of(cand), ids, why);
                }
            }
            reread(cycle, clear, ids);
        }, lane);
    }

    /** Why a cordon's acknowledgements forbid the stop (busy, or missing from a live instance); null when all say idle. */
    private static @Nullable String blockingAcknowledgement(Map<String, Peer> peers, @Nullable String id) {
        for (Map.Entry<String, Peer> e : peers.entrySet()) {
            Peer p = e.getValue();
            if (!p.live()) {
                continue;
            }
            Integer n = p.acks().get(id);
            if (n == null) {
                return "instance " + e.getKey() + " did not acknowledge the cordon in " + Durations.approx(ACK_WAIT);
            }
            if (n > 0) {
                return "in use through instance " + e.getKey();
            }
        }
        return null;
    }

    /** Reads the shared last access again: an access since the decision (any instance) calls that stop off. */
    private void reread(Cycle cycle, List<Candidate> clear, Map<String, String> ids) {
        if (clear.isEmpty()) {
            cycle.done("");
            return;
        }
        Futures.attempt(store::loadAccessAges).whenCompleteAsync((ages, ex) -> {
            if (ex != null) {
                storeHealth.failed("load access", ex);
                callOff(cycle, clear, ids, "could not read the shared last access (" + Futures.message(ex) + ")");
                cycle.done("");
                return;
            }
            registry.applySharedAccess(ages, clock.millis());
            long now = clock.millis();
            List<Candidate> go = new ArrayList<>();
            for (Candidate cand : clear) {
                long since = effectiveIdleSince(cand.container);
                if (cand.container.inUseWithDependants() > 0
                        || Duration.ofMillis(now - since).compareTo(cand.timeout) <= 0) {
                    callOff(cycle, List.of(cand), ids, "became busy");
                } else {
                    go.add(cand);
                }
            }
            stop(cycle, go, ids);
        }, lane);
    }

    private void stop(Cycle cycle, List<Candidate> go, Map<String, String> ids) {
        if (!go.isEmpty() && !cycle.leaseValid()) {
            callOff(cycle, go, ids, "the idle-check lease was lost before the stop");
            cycle.done("");
            return;
        }
        List<CompletableFuture<Boolean>> stops = new ArrayList<>(go.size());
        for (Candidate cand : go) {
            ManagedContainer c = cand.container;
            String reason = "idle for " + Durations.approx(cand.idle) + " (timeout " + Durations.approx(cand.idleTimeout) + ")"
                    + (cand.early && cycle.memory != null ? ", early: " + cycle.memory.describe() : "");
            long since = effectiveIdleSince(c);
            stops.add(Futures.attempt(() -> coordinator.sleep(c, reason,
                    () -> c.inUseWithDependants() == 0 && effectiveIdleSince(c) == since && keepAwake.reason(c) == null)));
        }
        CompletableFuture.allOf(stops.stream().map(f -> f.handle((v, ex) -> null)).toArray(CompletableFuture[]::new))
                .whenCompleteAsync((v, ignored) -> {
                    for (int i = 0; i < go.size(); i++) {
                        String name = go.get(i).container.name;
                        try {
                            if (stops.get(i).join()) {
                                cycle.stopped.add(name);
                            } else {
                                cycle.skipped.put(name, "became busy");
                            }
                        } catch (RuntimeException e) {
                            cycle.skipped.put(name, "stop failed: " + Futures.message(e));
                        }
                        lift(name, ids);
                    }
                    cycle.done("");
                }, lane);
    }

    /** Gives up stopping these: uncordons them here and lifts their shared cordons. */
    private void callOff(Cycle cycle, List<Candidate> which, Map<String, String> ids, String why) {
        for (Candidate cand : which) {
            cand.container.setCordoned(false);
            cycle.skipped.put(cand.container.name, why);
            lift(cand.container.name, ids);
        }
    }

    private void lift(String name, Map<String, String> ids) {
        String id = ids.get(name);
        if (id != null) {
            Futures.attempt(() -> store.liftCordon(name, id)).whenComplete((v, ex) -> {
                if (ex != null) {
                    // It lapses by itself; the others stop honouring it then.
                    log.warn("could not lift the cordon on {} ({}); it lapses by itself", name, Futures.message(ex));
                }
            });
        }
    }
}
