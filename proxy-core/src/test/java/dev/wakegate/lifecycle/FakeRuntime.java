package dev.wakegate.lifecycle;

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
 * An engine in memory. By default a start makes the container RUNNING at once (health STARTING
 * when it has a HEALTHCHECK) and emits START; a stop makes it EXITED and emits DIE and STOP.
 * Tests can hold starts/stops open, make starts fail, or make containers exit.
 */
final class FakeRuntime implements ContainerRuntime {
    final Map<String, ContainerInfo> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> starts = Collections.synchronizedList(new ArrayList<>());
    final List<String> stops = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inspects = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final List<CompletableFuture<Void>> heldStarts = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> heldStops = Collections.synchronizedList(new ArrayList<>());
    volatile boolean holdStarts;
    volatile boolean holdStops;
    volatile String startError;
    volatile boolean down;
    /** When set, a started container exits at once with this code instead of running. */
    volatile Integer exitOnStart;
    private volatile Consumer<ContainerEvent> listener = e -> {
    };

    FakeRuntime add(String name, ContainerInfo.Status status, boolean healthcheck) {
        containers.put(name, info(name, status, healthcheck ? ContainerInfo.Health.STARTING : ContainerInfo.Health.NONE,
                healthcheck, 0));
        return this;
    }

    static ContainerInfo info(String name, ContainerInfo.Status status, ContainerInfo.Health health,
                              boolean healthcheck, int exitCode) {
        return new ContainerInfo("id-" + name, name, null, status, health, healthcheck, exitCode, null, Map.of());
    }

    void set(String name, ContainerInfo.Status status, ContainerInfo.Health health, int exitCode) {
        ContainerInfo old = containers.get(name);
        containers.put(name, info(name, status, health, old != null && old.hasHealthcheck(), exitCode));
    }

    void emit(ContainerEvent.Type type, String name) {
        listener.accept(new ContainerEvent(type, "id-" + name, name, null, null, Map.of(), 0));
    }

    void emitHealth(String name, ContainerInfo.Health health) {
        ContainerInfo old = containers.get(name);
        containers.put(name, info(name, old.status(), health, true, 0));
        listener.accept(new ContainerEvent(ContainerEvent.Type.HEALTH_STATUS, "id-" + name, name, null, health,
                Map.of(), 0));
    }

    void emitAll(ContainerEvent.Type type) {
        listener.accept(ContainerEvent.of(type));
    }

    private CompletableFuture<Void> unreachable() {
        return CompletableFuture.failedFuture(new java.io.IOException("connection refused: /var/run/docker.sock"));
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        starts.add(name);
        if (down) {
            return unreachable();
        }
        if (!containers.containsKey(name)) {
            return CompletableFuture.failedFuture(new RuntimeException("No such container: " + name));
        }
        if (startError != null) {
            return CompletableFuture.failedFuture(new RuntimeException(startError));
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
        ContainerInfo old = containers.get(name);
        if (exitOnStart != null) {
            set(name, ContainerInfo.Status.EXITED, ContainerInfo.Health.NONE, exitOnStart);
            emit(ContainerEvent.Type.START, name);
            emit(ContainerEvent.Type.DIE, name);
            return;
        }
        set(name, ContainerInfo.Status.RUNNING,
                old.hasHealthcheck() ? ContainerInfo.Health.STARTING : ContainerInfo.Health.NONE, 0);
        emit(ContainerEvent.Type.START, name);
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        stops.add(name);
        if (down) {
            return unreachable();
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
        set(name, ContainerInfo.Status.EXITED, ContainerInfo.Health.NONE, 143);
        emit(ContainerEvent.Type.DIE, name);
        emit(ContainerEvent.Type.STOP, name);
    }

    @Override
    public CompletableFuture<ContainerInfo> inspect(String name) {
        inspects.incrementAndGet();
        if (down) {
            return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
        }
        ContainerInfo info = containers.get(name);
        return CompletableFuture.completedFuture(info == null ? ContainerInfo.missing(name) : info);
    }

    @Override
    public CompletableFuture<List<ContainerInfo>> list() {
        lists.incrementAndGet();
        if (down) {
            return CompletableFuture.failedFuture(new java.io.IOException("connection refused: /var/run/docker.sock"));
        }
        synchronized (containers) {
            return CompletableFuture.completedFuture(new ArrayList<>(containers.values()));
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
        Consumer<ContainerEvent> previous = this.listener;
        this.listener = e -> {
            previous.accept(e);
            listener.accept(e);
        };
        return () -> {
        };
    }
}
