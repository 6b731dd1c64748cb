package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.StateSettings;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadProvider;
import dev.wakegate.state.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/**
 * The lifecycle of the managed containers, wired whole: {@link ContainerRegistry} (live view, fed
 * by the engine's listing and events), {@link StartupCoordinator} (single-flight starts, stops),
 * {@link IdleEvictor} (the idle rule), {@link KeepAwake} (keep-awake windows), {@link ActivityTracker} (usage, shared in batches) and
 * {@link LifecycleStats}. proxy-server builds one, hands {@link #gate()} to the data path and the
 * admin operations and snapshots to the {@code /health/*} handlers.
 *
 * <p>Everything it decides runs on one serial lane over the given scheduler (see
 * {@link LifecycleExecutor}); give it a scheduler of its own, never a client event loop.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(2);

    private final AutomationSettings settings;
    private final WorkloadProvider provider;
    private final StateStore store;
    private final Clock clock;
    private final String instanceId;
    private final LifecycleExecutor lane;
    private final ContainerRegistry registry;
    private final StoreHealth storeHealth;
    private final EvictionGuard guard;
    private final LifecycleStats stats = new LifecycleStats();
    private final StartupCoordinator coordinator;
    private final ActivityTracker activity;
    private final IdleEvictor evictor;
    private final KeepAwake keepAwake;
    private final LifecycleGate gate;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private @Nullable AutoCloseable subscription;

    private Lifecycle(Builder b) {
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.store = Objects.requireNonNull(b.store, "store");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.instanceId = Objects.requireNonNull(b.instanceId, "instanceId");
        this.lane = new LifecycleExecutor(Objects.requireNonNull(b.scheduler, "scheduler"));
        this.registry = new ContainerRegistry(clock);
        this.storeHealth = new StoreHealth(store);
        this.guard = new EvictionGuard(store, storeHealth, clock);
        ReadinessProbe probe = Objects.requireNonNull(b.probe, "probe");
        this.coordinator = new StartupCoordinator(registry, provider, store, storeHealth, probe, settings, clock, lane, instanceId, stats,
                b.listener, b.stopGrace);
        SharedCordons cordons = new SharedCordons(registry, clock, instanceId, coordinator::recheck);
        coordinator.cordons(cordons);
        this.activity = new ActivityTracker(registry, store, storeHealth, guard, cordons, clock, lane, instanceId);
        this.keepAwake = new KeepAwake(registry, coordinator, settings.timezone(), clock, lane);
        this.evictor = new IdleEvictor(registry, coordinator, store, storeHealth, guard,
                new Membership(store, clock, b.instanceTimeout), settings, clock, lane, instanceId, stats, b.stopGrace,
                keepAwake, probe, b.memory);
        this.gate = new LifecycleGate(registry, coordinator, activity, this::wakeProgress);
        b.containers.values().forEach(registry::register);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset from a whole config (automation settings and containers). */
    public static Builder builder(ProxyConfig config) {
        return new Builder().settings(config.automation()).containers(config.containers())
                .instanceTimeout(config.state().instanceTimeout());
    }

    /**
     * Subscribes to engine events, lists the containers, loads shared last access, and starts the
     * periodic flush, heartbeat and idle check. The future completes (never exceptionally) once the
     * first listing and load are done; an unreachable engine or store leaves the lifecycle running
     * in degraded mode and it catches up when they come back.
     */
    public CompletableFuture<Void> start() {
        subscription = provider.subscribe(event -> lane.execute(() -> onEvent(event)));
        CompletableFuture<Void> listed = coordinator.resync();
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        store.onAvailable(() -> lane.execute(() -> {
            guard.storeCameBack();
            activity.storeAvailable().thenCompose(v -> activity.heartbeat())
                    .whenComplete((v, ex) -> loaded.complete(null));
        }));
        if (store.isAvailable()) {
            // The first heartbeat makes this instance a member and brings the cordons in force
            // before the listeners open.
            lane.execute(() -> activity.loadShared().thenCompose(v -> activity.heartbeat())
                    .whenComplete((v, ex) -> loaded.complete(null)));
        } else {
            // A store still connecting gets a moment, so a restarted proxy starts with the shared
            // idle clocks; one that stays down leaves us deciding from memory (and loading later).
            lane.schedule(() -> loaded.complete(null), FIRST_CONNECT_WAIT);
        }
        timers.add(lane.scheduleAtFixedRate(activity::flush, FLUSH_INTERVAL));
        timers.add(lane.scheduleAtFixedRate(activity::heartbeat, HEARTBEAT_INTERVAL));
        timers.add(lane.scheduleAtFixedRate(evictor::runCheck, settings.idleCheckInterval()));
        // Containers inside a keep-awake window are started once the engine has been listed.
        listed.whenComplete((v, ex) -> lane.execute(keepAwake::tick));
        log.info("lifecycle started: {} managed containers, instance {}, state store {}",
                registry.all().size(), instanceId, store.describe());
        return CompletableFuture.allOf(listed, loaded);
    }

    private void onEvent(WorkloadEvent event) {
        switch (event.type()) {
            case RESYNC -> coordinator.resync();
            case DISCONNECTED -> {
                String detail = event.detail();
                String problem = detail != null ? detail : "the engine's event stream disconnected";
                registry.markUnavailable(problem);
                log.warn("{}; cold routes fail fast until it is back", problem);
                coordinator.failAll(StartFailure.Kind.RUNTIME_UNAVAILABLE, problem);
            }
            default -> {
                for (ManagedContainer c : registry.matching(event)) {
                    coordinator.onEvent(c, event);
                }
            }
        }
    }

    /**
     * Stops timers and the event subscription, flushes last access once more, gives up the
     * idle-check lease and leaves the membership (so the others neither wait for this instance nor
     * for its lease). Waits a moment for those writes; does not close provider or store.
     */
    @Override
    public void close() {
        timers.forEach(t -> t.cancel(false));
        timers.clear();
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing the event subscription failed", e);
            }
        }
        CompletableFuture<Void> farewell = new CompletableFuture<>();
        lane.execute(() -> {
            keepAwake.close();
            evictor.close();
            activity.flush().thenCompose(v -> activity.leave()).whenComplete((v, ex) -> farewell.complete(null));
        });
        try {
            farewell.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("leaving the membership did not finish: {}", e.toString());
        }
        lane.close();
    }

    // ------------------------------------------------------------------ data path

    /** The gate the data path calls per request/connection. */
    public ContainerGate gate() {
        return gate;
    }

    // ------------------------------------------------------------------ membership

    public boolean isManaged(String name) {
        return registry.isManaged(name);
    }

    /**
     * Adds (or updates the spec of) a managed container, e.g. one discovered from labels, and
     * reads its state from the engine (unless an event or an operation said something newer
     * while the inspect was under way).
     */
    public void register(ContainerSpec spec) {
        ManagedContainer c = registry.register(spec);
        lane.execute(() -> {
            long asked = c.changes;
            provider.inspect(spec.name()).whenCompleteAsync((info, ex) -> {
                if (ex == null && c.start == null && c.stop == null && c.changes == asked
                        && registry.get(spec.name()) == c) {
                    registry.applyInfo(c, info);
                    coordinator.verifyIfRunning(c);
                }
            }, lane);
        });
    }

    /** The spec a managed name is registered with, or null when it is not managed. */
    public @Nullable ContainerSpec spec(String name) {
        ManagedContainer c = registry.get(name);
        return c == null ? null : c.spec;
    }

    /** Stops managing a container (it is not stopped). True when it was managed. */
    public boolean unregister(String name) {
        return registry.unregister(name) != null;
    }

    // ------------------------------------------------------------------ admin

    /**
     * Starts a managed container (and its dependencies) and completes when ready; allowed even
     * with auto-start off. Fails with {@link NotManagedException} for an unmanaged name (no engine
     * call is made), or with a {@link StartFailure}.
     */
    public CompletableFuture<Void> startContainer(String name) {
        if (!registry.isManaged(name)) {
            return CompletableFuture.failedFuture(new NotManagedException(name));
        }
        return coordinator.ensureReady(List.of(name), true);
    }

    /**
     * Stops a managed container (cordoned first: requests arriving meanwhile wait and start it
     * again). Priorities do not apply: an operator asked. Fails with {@link NotManagedException}
     * for an unmanaged name, or with the engine's error.
     */
    public CompletableFuture<Void> stopContainer(String name) {
        ManagedContainer c = registry.get(name);
        if (c == null) {
            return CompletableFuture.failedFuture(new NotManagedException(name));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        lane.execute(() -> coordinator.stop(c, "manual", () -> true).whenComplete((v, ex) -> {
            if (ex != null) {
                result.completeExceptionally(Futures.unwrap(ex));
            } else {
                result.complete(null);
            }
        }));
        return result;
    }

    /** Runs the idle check now (the admin's POST /health/automation/idle-check). */
    public CompletableFuture<IdleCheckReport> runIdleCheckNow() {
        return evictor.runCheck();
    }

    // ------------------------------------------------------------------ snapshots

    /** Every managed container, in registration order. */
    public Map<String, ContainerStatus> containers() {
        Map<String, ContainerStatus> out = new LinkedHashMap<>();
        for (ManagedContainer c : registry.all()) {
            out.put(c.name, snapshot(c));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** One container, or null when not managed. */
    public @Nullable ContainerStatus container(String name) {
        ManagedContainer c = registry.get(name);
        return c == null ? null : snapshot(c);
    }

    private ContainerStatus snapshot(ManagedContainer c) {
        ContainerSpec spec = c.spec;
        Duration timeout = settings.idleTimeoutOf(spec);
        return new ContainerStatus(c.name, c.state, spec.priority(), instant(c.lastAccess()),
                idleMinutes(timeout), Math.max(0, c.inFlight.sum()), Math.max(0, c.openConnections.sum()), c.health,
                c.hasHealthcheck, c.cordoned, spec.dependsOn(), instant(c.lastStartedMillis),
                instant(c.lastStoppedMillis), spec.fromLabels(), instant(c.sleepingSinceMillis),
                instant(c.startRequestedMillis), c.coldStarts.expectedMillis(), c.lastFailure);
    }

    /**
     * The named containers and what they depend on, dependencies first, each once: what a visitor
     * of a route with these containers waits for. Names not managed are left out. Allocates: for
     * the waiting page and {@code /health/wake}, never for the warm path.
     */
    public List<ContainerStatus> wakeProgress(List<String> names) {
        return registry.wakeOrder(names).stream().map(this::snapshot).toList();
    }

    /** Whole minutes, rounded up: 0 must keep meaning "never stopped", so a 20s timeout shows as 1. */
    private static long idleMinutes(@Nullable Duration timeout) {
        return timeout == null ? 0 : (timeout.toSeconds() + 59) / 60;
    }

    /** Whether the engine answered its last listing (and no disconnect was heard since). */
    public boolean runtimeAvailable() {
        return registry.runtimeAvailable();
    }

    public AutomationSnapshot automation() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ManagedContainer c : registry.all()) {
            counts.merge(c.state.wireName(), 1, Integer::sum);
        }
        String engineProblem = registry.runtimeProblem(); // one read, so the two fields agree
        return new AutomationSnapshot(settings, instanceId, engineProblem == null, engineProblem,
                store.describe(), store.isAvailable() && !storeHealth.isDown(), registry.all().size(),
                java.util.Collections.unmodifiableMap(counts), stats.snapshot(),
                new AutomationSnapshot.Eviction(guard.reason(), guard.suspendedSince()), memory());
    }

    /**
     * {@code min_free_memory} and what the last idle check read of the memory: the file is read on
     * the lane once per check, never by the admin endpoints or the metric (they may run on an event loop).
     */
    private AutomationSnapshot.Memory memory() {
        IdleEvictor.MemoryReading r = evictor.lastMemory();
        if (!settings.sleepsEarlyUnderPressure() || r == null) {
            return new AutomationSnapshot.Memory(settings.minFreeMemory(), null, false, null);
        }
        return new AutomationSnapshot.Memory(settings.minFreeMemory(), r.available(), r.pressure(), r.at());
    }

    public LifecycleStats stats() {
        return stats;
    }

    public AutomationSettings settings() {
        return settings;
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * {@code wakegate-<host>-<pid>-<random>}. The pid alone is not unique: proxies in containers
     * are all pid 1, and several proxies in one JVM (tests) share one pid; two instances with one
     * id would read each other's leases and published usage as their own.
     */
    static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        String prefix = host == null || host.isBlank() ? "wakegate-" : "wakegate-" + host.trim() + "-";
        return prefix + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 40);
    }

    private static @Nullable Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** Collects the parts; {@code settings}, {@code provider}, {@code store}, {@code probe}, {@code scheduler} are required. */
    public static final class Builder {
        private AutomationSettings settings = AutomationSettings.DEFAULTS;
        private Map<String, ContainerSpec> containers = Map.of();
        private @Nullable WorkloadProvider provider;
        private @Nullable StateStore store;
        private @Nullable ReadinessProbe probe;
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService scheduler;
        private String instanceId = defaultInstanceId();
        private LifecycleListener listener = LifecycleListener.NONE;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private Duration instanceTimeout = StateSettings.DEFAULT_INSTANCE_TIMEOUT;
        private MemoryGauge memory = MemoryGauge.PROC_MEMINFO;

        private Builder() {
        }

        public Builder settings(AutomationSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder containers(Map<String, ContainerSpec> containers) {
            this.containers = new LinkedHashMap<>(containers);
            return this;
        }

        public Builder provider(WorkloadProvider provider) {
            this.provider = provider;
            return this;
        }

        public Builder store(StateStore store) {
            this.store = store;
            return this;
        }

        public Builder probe(ReadinessProbe probe) {
            this.probe = probe;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where the lifecycle's lane and timers run: its own event loop or a small scheduled pool. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Identifies this proxy instance in leases and published usage. */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder listener(LifecycleListener listener) {
            this.listener = listener == null ? LifecycleListener.NONE : listener;
            return this;
        }

        /** How long {@code docker stop} waits before the engine kills the container (default 10 s). */
        public Builder stopGrace(Duration stopGrace) {
            this.stopGrace = stopGrace;
            return this;
        }

        /** How long another instance may be silent before it is presumed dead (default 60 s). */
        public Builder instanceTimeout(Duration instanceTimeout) {
            this.instanceTimeout = instanceTimeout;
            return this;
        }

        /** Where available memory is read for {@code min_free_memory} (default: {@code /proc/meminfo}). */
        public Builder memoryGauge(MemoryGauge memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        public Lifecycle build() {
            return new Lifecycle(this);
        }
    }
}
