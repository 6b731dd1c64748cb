package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.Priority;
import dev.wakegate.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The idle rule (DESIGN.md "Idle eviction"): every {@code idle_check_interval}, under the shared
 * lease {@code idle-check} so one instance evicts at a time, stop the containers that are
 * <ul>
 *   <li>not CRITICAL, with auto-stop on,</li>
 *   <li>idle longer than their timeout (last access = max of local and shared, never counted from
 *       before the container last started),</li>
 *   <li>without an in-flight request or open connection, here or in another instance's published usage,</li>
 * </ul>
 * most idle first, at most {@code max_stops_per_cycle}, keeping {@code min_running} managed
 * containers running. Each stop cordons first (see {@link StartupCoordinator#stop}). When the store
 * is unreachable the check runs locally from memory.
 */
public final class IdleEvictor {
    private static final Logger log = LoggerFactory.getLogger(IdleEvictor.class);
    static final String LEASE = "idle-check";

    private final ContainerRegistry registry;
    private final StartupCoordinator coordinator;
    private final StateStore store;
    private final StoreHealth storeHealth;
    private final AutomationSettings settings;
    private final Clock clock;
    private final LifecycleExecutor lane;
    private final String instanceId;
    private final LifecycleStats stats;
    private CompletableFuture<IdleCheckResult> running;

    IdleEvictor(ContainerRegistry registry, StartupCoordinator coordinator, StateStore store, StoreHealth storeHealth,
                AutomationSettings settings, Clock clock, LifecycleExecutor lane, String instanceId,
                LifecycleStats stats) {
        this.registry = registry;
        this.coordinator = coordinator;
        this.store = store;
        this.storeHealth = storeHealth;
        this.settings = settings;
        this.clock = clock;
        this.lane = lane;
        this.instanceId = instanceId;
        this.stats = stats;
    }

    /** Runs one check now (any thread); a check already running is shared rather than doubled. */
    CompletableFuture<IdleCheckResult> runCheck() {
        CompletableFuture<IdleCheckResult> result = new CompletableFuture<>();
        lane.execute(() -> {
            if (running == null || running.isDone()) {
                running = new CompletableFuture<>();
                CompletableFuture<IdleCheckResult> mine = running;
                check(mine);
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

    private void check(CompletableFuture<IdleCheckResult> result) {
        Instant at = clock.instant();
        if (!settings.autoStop()) {
            finish(result, IdleCheckResult.notRun(at, "auto_stop is disabled"), false);
            return;
        }
        CompletableFuture<Boolean> lease;
        try {
            lease = store.tryAcquireLease(LEASE, instanceId, settings.idleCheckInterval());
        } catch (RuntimeException e) {
            lease = CompletableFuture.failedFuture(e);
        }
        lease.whenCompleteAsync((got, ex) -> {
            if (ex != null) {
                storeHealth.failed("idle-check lease", ex);
                gather(result, at, false);
            } else if (Boolean.TRUE.equals(got)) {
                storeHealth.succeeded();
                gather(result, at, true);
            } else {
                storeHealth.succeeded();
                finish(result, IdleCheckResult.notRun(at, "another instance holds the idle-check lease"), false);
            }
        }, lane);
    }

    /** Fetches shared last access and other instances' usage (either may be missing), then decides. */
    private void gather(CompletableFuture<IdleCheckResult> result, Instant at, boolean leaseHeld) {
        CompletableFuture<Map<String, Instant>> access = store.loadAccess().exceptionally(ex -> {
            storeHealth.failed("load access", ex);
            return Map.of();
        });
        CompletableFuture<Map<String, Integer>> usage = store.loadUsage(instanceId).exceptionally(ex -> {
            storeHealth.failed("load usage", ex);
            return Map.of();
        });
        access.thenCombine(usage, (a, u) -> new Object[]{a, u}).whenCompleteAsync((both, ex) -> {
            @SuppressWarnings("unchecked")
            Map<String, Instant> a = ex == null ? (Map<String, Instant>) both[0] : Map.of();
            @SuppressWarnings("unchecked")
            Map<String, Integer> u = ex == null ? (Map<String, Integer>) both[1] : Map.of();
            decide(result, at, leaseHeld, a, u);
        }, lane);
    }

    private record Candidate(ManagedContainer container, long idleSince, Duration idle, Duration timeout) {
    }

    private void decide(CompletableFuture<IdleCheckResult> result, Instant at, boolean leaseHeld,
                        Map<String, Instant> sharedAccess, Map<String, Integer> otherUsage) {
        long now = clock.millis();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        int runningCount = 0;
        for (ManagedContainer c : registry.all()) {
            Instant shared = sharedAccess.get(c.name);
            if (shared != null && shared.toEpochMilli() > c.sharedAccessMillis) {
                c.sharedAccessMillis = shared.toEpochMilli();
            }
            ContainerState state = c.state;
            if (state.countsAsRunning()) {
                runningCount++;
            }
            if (state != ContainerState.READY && state != ContainerState.RUNNING) {
                skipped.put(c.name, "not running (" + state.wireName() + ")");
                continue;
            }
            if (c.start != null || c.stop != null) {
                skipped.put(c.name, "start or stop in progress");
                continue;
            }
            if (c.spec.priority() == Priority.CRITICAL) {
                skipped.put(c.name, "critical");
                continue;
            }
            Duration timeout = settings.idleTimeoutOf(c.spec);
            if (timeout == null) {
                skipped.put(c.name, "never stopped");
                continue;
            }
            long inFlight = c.inFlight.sum();
            if (inFlight > 0) {
                skipped.put(c.name, inFlight + " request(s) in flight");
                continue;
            }
            long open = c.openConnections.sum();
            if (open > 0) {
                skipped.put(c.name, open + " open connection(s)");
                continue;
            }
            Integer elsewhere = otherUsage.get(c.name);
            if (elsewhere != null && elsewhere > 0) {
                skipped.put(c.name, "in use by another instance");
                continue;
            }
            long idleSince = c.idleSince();
            Duration idle = Duration.ofMillis(Math.max(0, now - idleSince));
            if (idle.compareTo(timeout) <= 0) {
                skipped.put(c.name, "idle " + approx(idle) + " of " + approx(timeout));
                continue;
            }
            candidates.add(new Candidate(c, idleSince, idle, timeout));
        }
        candidates.sort(Comparator.comparingLong(Candidate::idleSince));
        int budget = Math.max(0, Math.min(settings.maxStopsPerCycle(), runningCount - settings.minRunning()));

        List<Candidate> chosen = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate cand = candidates.get(i);
            if (i < budget) {
                chosen.add(cand);
            } else if (runningCount - i <= settings.minRunning()) {
                skipped.put(cand.container.name, "min_running " + settings.minRunning());
            } else {
                skipped.put(cand.container.name, "max_stops_per_cycle " + settings.maxStopsPerCycle());
            }
        }

        List<CompletableFuture<Boolean>> stops = new ArrayList<>(chosen.size());
        for (Candidate cand : chosen) {
            ManagedContainer c = cand.container;
            String reason = "idle for " + approx(cand.idle) + " (timeout " + approx(cand.timeout) + ")";
            CompletableFuture<Boolean> stop;
            try {
                stop = coordinator.stop(c, reason, () -> c.inUse() == 0 && c.idleSince() == cand.idleSince);
            } catch (RuntimeException e) {
                stop = CompletableFuture.failedFuture(e);
            }
            stops.add(stop);
        }
        CompletableFuture.allOf(stops.stream().map(f -> f.handle((v, ex) -> null))
                        .toArray(CompletableFuture[]::new))
                .whenCompleteAsync((v, ignored) -> {
                    List<String> stopped = new ArrayList<>();
                    for (int i = 0; i < chosen.size(); i++) {
                        String name = chosen.get(i).container.name;
                        CompletableFuture<Boolean> f = stops.get(i);
                        try {
                            if (f.join()) {
                                stopped.add(name);
                            } else {
                                skipped.put(name, "became busy");
                            }
                        } catch (RuntimeException e) {
                            skipped.put(name, "stop failed: " + Futures.message(e));
                        }
                    }
                    finish(result, new IdleCheckResult(at, true, leaseHeld ? "" : "ran locally (state store unavailable)",
                            stopped, skipped), leaseHeld);
                }, lane);
    }

    private void finish(CompletableFuture<IdleCheckResult> result, IdleCheckResult r, boolean releaseLease) {
        if (releaseLease) {
            store.releaseLease(LEASE, instanceId).whenComplete((v, ex) -> {
                if (ex != null) {
                    storeHealth.failed("release idle-check lease", ex);
                }
            });
        }
        stats.idleChecked(r);
        if (!r.stopped().isEmpty()) {
            log.info("idle check stopped {}", r.stopped());
        } else {
            log.debug("idle check: nothing stopped ({})", r.note());
        }
        result.complete(r);
    }

    /** Idle times in the units people think in: seconds under two minutes, else minutes. */
    static String approx(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + "s" : s / 60 + "m";
    }
}
