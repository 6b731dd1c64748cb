package dev.wakegate.admin;

import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.Priority;
import dev.wakegate.lifecycle.ContainerStatus;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the {@code /health/*} endpoints read and do: the narrow view of the lifecycle (registry,
 * start coordinator, idle evictor, state store, Docker runtime) that {@link AdminEndpoints} needs.
 * The wiring adapts the lifecycle to it.
 *
 * <p>The read methods are called on event loops: they answer from memory, never block and never
 * do I/O. The operations return at once; their futures complete later on any thread, and never
 * throw synchronously (a container the proxy does not manage gives {@link Outcome#NOT_MANAGED}).
 */
public interface AdminModel {

    /** The automation knobs in effect. */
    AutomationSettings settings();

    /** Every managed container, in a stable order (declaration order, then discovered ones). */
    List<ContainerSnapshot> containers();

    /**
     * Route to the containers it needs (empty list: plain proxying), in route order. A route is
     * named by its path prefix, with its host names before it when it has some
     * ({@code app.example.com/api}, {@code *.example.com/}).
     */
    Map<String, List<String>> routes();

    Statistics statistics();

    /** The state store (Redis or in-memory) and whether it is reachable now. */
    Dependency stateStore();

    /** The Docker engine and whether it is reachable now. */
    Dependency docker();

    /** Whether idle stops are suspended now, and why. */
    Eviction eviction();

    /** {@code min_free_memory} and what the last idle check read of the memory; off unless overridden. */
    default Memory memory() {
        return Memory.OFF;
    }

    /** Starts {@code name} (and what it depends on) and completes when it is ready or has failed. */
    CompletableFuture<OperationResult> start(String name);

    /** Stops {@code name} and completes when it has stopped or the stop has failed. */
    CompletableFuture<OperationResult> stop(String name);

    /** Runs one idle check now, as the periodic one would, and completes with what it did. */
    CompletableFuture<IdleCheckResult> runIdleCheck();

    /**
     * The named containers and what they depend on, dependencies first, as a visitor waits for them
     * ({@code GET /health/wake/...}). Read on event loops: memory only.
     */
    default List<ContainerStatus> wakeProgress(List<String> names) {
        return List.of();
    }

    /**
     * Makes the named containers ready as a browser navigation to their route does (joining a start
     * in progress; refused with auto-start off), completing when they are ready or exceptionally
     * with the {@link dev.wakegate.lifecycle.StartFailure}. Never throws synchronously.
     */
    default CompletableFuture<Void> awaitReady(List<String> names) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no lifecycle"));
    }

    /** Where a container's configuration came from. */
    enum ManagedBy {
        YAML, LABELS;

        public String wireName() {
            return this == YAML ? "yaml" : "labels";
        }
    }

    /**
     * One managed container as the proxy sees it now.
     *
     * @param state              running (and ready), stopped, starting, stopping, missing or unknown, as
     *                           docs/operating.md lists them; {@code state_counts} always shows running and stopped
     * @param lastAccess         last request through any instance, or null if never
     * @param idleTimeoutMinutes minutes idle before it is stopped; 0 when never stopped (critical)
     * @param health             healthy, starting, unhealthy, none or unknown
     * @param inFlight           requests to it in flight through this instance
     * @param openConnections    upgraded (WebSocket) or TCP connections to it open through this instance
     * @param sleepingSince      since when it has been stopped, or null while it runs
     * @param expectedStartMillis the median of its last few cold starts through this instance; 0 when none was seen
     * @param startFailure       why its latest start failed (none runs now), or null: a container that sleeps is
     *                           not down, one whose start failed is
     */
    record ContainerSnapshot(String name, String state, Priority priority, @Nullable Instant lastAccess,
                             long idleTimeoutMinutes, String health, int inFlight, int openConnections,
                             ManagedBy managedBy, @Nullable Instant sleepingSince, long expectedStartMillis,
                             @Nullable String startFailure) {
        public ContainerSnapshot {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(managedBy, "managedBy");
            health = health == null ? "unknown" : health;
        }

        /**
         * Without the wake fields: not asleep, no cold start seen, no failed start.
         *
         * @see #ContainerSnapshot(String, String, Priority, Instant, long, String, int, int, ManagedBy, Instant, long, String)
         */
        public ContainerSnapshot(String name, String state, Priority priority, @Nullable Instant lastAccess,
                                 long idleTimeoutMinutes, String health, int inFlight, int openConnections,
                                 ManagedBy managedBy) {
            this(name, state, priority, lastAccess, idleTimeoutMinutes, health, inFlight, openConnections, managedBy,
                    null, 0, null);
        }
    }

    /**
     * Lifecycle counters since this instance started.
     *
     * @param lastIdleCheck the most recent idle check, or null when none has run yet
     */
    record Statistics(long startAttempts, long startSuccesses, long startFailures,
                      long stopAttempts, long stopSuccesses, long stopFailures,
                      @Nullable IdleCheckResult lastIdleCheck) {
    }

    /**
     * One idle check.
     *
     * @param stopped containers it stopped
     * @param skipped idle candidates it left running, with why (in_flight, min_running, max_stops_per_cycle, ...)
     * @param failed  containers whose stop failed, with the reason
     * @param note    why the check did not run here (another instance holds the idle-check lease,
     *                auto-stop is off), or null when it ran
     */
    record IdleCheckResult(Instant checkedAt, List<String> stopped, Map<String, String> skipped,
                           Map<String, String> failed, @Nullable String note) {
        public IdleCheckResult {
            Objects.requireNonNull(checkedAt, "checkedAt");
            stopped = List.copyOf(stopped);
            skipped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipped));
            failed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failed));
        }

        /** A check that ran here. */
        public IdleCheckResult(Instant checkedAt, List<String> stopped, Map<String, String> skipped,
                               Map<String, String> failed) {
            this(checkedAt, stopped, skipped, failed, null);
        }
    }

    /**
     * A backing service the proxy depends on.
     *
     * @param description what and where, e.g. {@code redis://127.0.0.1:6379} or {@code in-memory}
     */
    record Dependency(String description, boolean available) {
    }

    /**
     * Idle stops: suspended (with the reason and since when) while this instance cannot see what the
     * other instances sharing the state store are using.
     */
    record Eviction(boolean suspended, @Nullable String reason, @Nullable Instant since) {
        public static final Eviction ACTIVE = new Eviction(false, null, null);
    }

    /**
     * Early sleep under memory pressure: {@code minFreeBytes} 0 when off; {@code availableBytes} null
     * when not read yet or unreadable; {@code readAt} when the last idle check here read it.
     */
    record Memory(long minFreeBytes, @Nullable Long availableBytes, boolean pressure, @Nullable Instant readAt) {
        public static final Memory OFF = new Memory(0, null, false, null);
    }

    /** How a manual start or stop ended. */
    enum Outcome {
        /** The container is running and ready (it may have been already). */
        STARTED,
        /** The container is stopped (it may have been already). */
        STOPPED,
        /** The proxy does not manage a container of that name: 404. */
        NOT_MANAGED,
        /** The operation was refused in the current state, e.g. a stop while requests are in flight: 409. */
        CONFLICT,
        /** Docker failed, timed out, or is unreachable: 503. */
        FAILED
    }

    /** @param detail human-readable reason for NOT_MANAGED, CONFLICT and FAILED; null otherwise */
    record OperationResult(Outcome outcome, String container, @Nullable String detail) {
        public OperationResult {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(container, "container");
        }

        public static OperationResult started(String name) {
            return new OperationResult(Outcome.STARTED, name, null);
        }

        public static OperationResult stopped(String name) {
            return new OperationResult(Outcome.STOPPED, name, null);
        }

        public static OperationResult notManaged(String name) {
            return new OperationResult(Outcome.NOT_MANAGED, name, "container " + name + " is not managed");
        }

        public static OperationResult conflict(String name, String detail) {
            return new OperationResult(Outcome.CONFLICT, name, detail);
        }

        public static OperationResult failed(String name, String detail) {
            return new OperationResult(Outcome.FAILED, name, detail);
        }
    }
}
