package dev.wakegate.lifecycle;

import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link WorkloadProvider} in memory, keeping its contract (failures are {@link StartFailure}s
 * of the kind that says why). By default a start makes the container RUNNING at once (health STARTING
 * when it has a HEALTHCHECK) and emits START; a stop makes it EXITED and emits DIE and STOP; a
 * pause makes a running one PAUSED (health kept) and emits PAUSE, an unpause makes it RUNNING again
 * and emits UNPAUSE.
 * Tests can hold starts/stops open, make starts fail, or make containers exit.
 */
final class FakeProvider implements WorkloadProvider {
    final Map<String, WorkloadInfo> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> starts = Collections.synchronizedList(new ArrayList<>());
    final List<String> stops = Collections.synchronizedList(new ArrayList<>());
    final List<String> pauses = Collections.synchronizedList(new ArrayList<>());
    final List<String> unpauses = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> heldPauses = Collections.synchronizedList(new ArrayList<>());
    volatile boolean holdPauses;
    final AtomicInteger inspects = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    /** When set, a listing is taken at once but answered only when the test completes it from {@link #heldLists}. */
    volatile boolean holdLists;
    final List<Runnable> heldLists = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> heldStarts = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> heldStops = Collections.synchronizedList(new ArrayList<>());
    volatile boolean holdStarts;
    volatile boolean holdStops;
    volatile String startError;
    /** The kind a start fails with when {@link #startError} is set. */
    volatile StartFailure.Kind startErrorKind = StartFailure.Kind.FAILED;
    volatile boolean down;
    /** What a start leaves it as (CREATED: a Swarm service scaled up whose replicas are not all running yet). */
    volatile WorkloadInfo.Status statusOnStart = WorkloadInfo.Status.RUNNING;
    /** When set, a started container exits at once with this code instead of running. */
    volatile Integer exitOnStart;
    private volatile Consumer<WorkloadEvent> listener = e -> {
    };

    FakeProvider add(String name, WorkloadInfo.Status status, boolean healthcheck) {
        containers.put(name, info(name, status, healthcheck ? WorkloadInfo.Health.STARTING : WorkloadInfo.Health.NONE,
                healthcheck, 0));
        return this;
    }

    static WorkloadInfo info(String name, WorkloadInfo.Status status, WorkloadInfo.Health health,
                              boolean healthcheck, int exitCode) {
        return new WorkloadInfo("id-" + name, name, null, status, health, healthcheck, exitCode, null, Map.of());
    }

    void set(String name, WorkloadInfo.Status status, WorkloadInfo.Health health, int exitCode) {
        WorkloadInfo old = containers.get(name);
        containers.put(name, info(name, status, health, old != null && old.hasHealthcheck(), exitCode));
    }

    void emit(WorkloadEvent.Type type, String name) {
        listener.accept(new WorkloadEvent(type, "id-" + name, name, null, null, Map.of(), 0));
    }

    void emitHealth(String name, WorkloadInfo.Health health) {
        WorkloadInfo old = containers.get(name);
        containers.put(name, info(name, old.status(), health, true, 0));
        listener.accept(new WorkloadEvent(WorkloadEvent.Type.HEALTH_STATUS, "id-" + name, name, null, health,
                Map.of(), 0));
    }

    /** RESYNC, or DISCONNECTED with {@link #UNREACHABLE} as its detail. */
    void emitAll(WorkloadEvent.Type type) {
        listener.accept(type == WorkloadEvent.Type.DISCONNECTED ? WorkloadEvent.disconnected(UNREACHABLE)
                : WorkloadEvent.of(type));
    }

    /** What a provider says when its engine is away: RUNTIME_UNAVAILABLE, in its own words. */
    static final String UNREACHABLE = "fake engine unreachable: connection refused";

    private static <T> CompletableFuture<T> unreachable(String name) {
        return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, UNREACHABLE));
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        starts.add(name);
        if (down) {
            return unreachable(name);
        }
        if (!containers.containsKey(name)) {
            return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.MISSING, "no such container " + name));
        }
        if (startError != null) {
            return CompletableFuture.failedFuture(new StartFailure(name, startErrorKind, startError));
        }
        if (holdStarts) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            heldStarts.add(f);
            return f.thenRun(() -> doStart(name));
        }
        doStart(name);
        return CompletableFuture.completedFuture(null);
    }

    private void doStart(String name) {
        WorkloadInfo old = containers.get(name);
        if (exitOnStart != null) {
            set(name, WorkloadInfo.Status.EXITED, WorkloadInfo.Health.NONE, exitOnStart);
            emit(WorkloadEvent.Type.START, name);
            emit(WorkloadEvent.Type.DIE, name);
            return;
        }
        set(name, statusOnStart,
                old.hasHealthcheck() ? WorkloadInfo.Health.STARTING : WorkloadInfo.Health.NONE, 0);
        emit(WorkloadEvent.Type.START, name);
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        stops.add(name);
        if (down) {
            return unreachable(name);
        }
        if (holdStops) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            heldStops.add(f);
            return f.thenRun(() -> doStop(name));
        }
        doStop(name);
        return CompletableFuture.completedFuture(null);
    }

    private void doStop(String name) {
        set(name, WorkloadInfo.Status.EXITED, WorkloadInfo.Health.NONE, 143);
        emit(WorkloadEvent.Type.DIE, name);
        emit(WorkloadEvent.Type.STOP, name);
    }

    @Override
    public CompletableFuture<Void> pause(String name) {
        pauses.add(name);
        if (down) {
            return unreachable(name);
        }
        WorkloadInfo old = containers.get(name);
        if (old == null) {
            return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.MISSING, "no such container " + name));
        }
        if (old.status() != WorkloadInfo.Status.RUNNING && old.status() != WorkloadInfo.Status.PAUSED) {
            return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.FAILED,
                    "container " + name + " is not running"));
        }
        if (holdPauses) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            heldPauses.add(f);
            return f.thenRun(() -> doPause(name));
        }
        doPause(name);
        return CompletableFuture.completedFuture(null);
    }

    private void doPause(String name) {
        WorkloadInfo old = containers.get(name);
        if (old.status() == WorkloadInfo.Status.RUNNING) {
            // as Docker: a paused container with a HEALTHCHECK is reported unhealthy (no event),
            // and stays so after the unpause until its next check
            set(name, WorkloadInfo.Status.PAUSED,
                    old.hasHealthcheck() ? WorkloadInfo.Health.UNHEALTHY : old.health(), 0);
            emit(WorkloadEvent.Type.PAUSE, name);
        }
    }

    @Override
    public CompletableFuture<Void> unpause(String name) {
        unpauses.add(name);
        if (down) {
            return unreachable(name);
        }
        WorkloadInfo old = containers.get(name);
        if (old == null) {
            return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.MISSING, "no such container " + name));
        }
        if (old.status() == WorkloadInfo.Status.PAUSED) {
            set(name, WorkloadInfo.Status.RUNNING, old.health(), 0);
            emit(WorkloadEvent.Type.UNPAUSE, name);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<WorkloadInfo> inspect(String name) {
        inspects.incrementAndGet();
        if (down) {
            return unreachable(name);
        }
        WorkloadInfo info = containers.get(name);
        return CompletableFuture.completedFuture(info == null ? WorkloadInfo.missing(name) : info);
    }

    @Override
    public CompletableFuture<List<WorkloadInfo>> list() {
        lists.incrementAndGet();
        if (down) {
            return unreachable(null);
        }
        List<WorkloadInfo> listing;
        synchronized (containers) {
            listing = new ArrayList<>(containers.values());
        }
        if (holdLists) {
            CompletableFuture<List<WorkloadInfo>> f = new CompletableFuture<>();
            heldLists.add(() -> f.complete(listing));
            return f;
        }
        return CompletableFuture.completedFuture(listing);
    }

    @Override
    public AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
        Consumer<WorkloadEvent> previous = this.listener;
        this.listener = e -> {
            previous.accept(e);
            listener.accept(e);
        };
        return () -> {
        };
    }
}
