package dev.wakegate.testing;

import dev.wakegate.lifecycle.ContainerGate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test double of the lifecycle seam: readiness is a flag per container, {@link #awaitReady}
 * returns what the test scripted (default: a future the test completes through {@link #makeReady}
 * or {@link #fail}), and every activity callback is counted so tests can check that
 * requestStarted/requestEnded and connectionOpened/Closed balance.
 */
public final class FakeGate implements ContainerGate {
    private final ConcurrentHashMap<String, Boolean> ready = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> waits = new ConcurrentHashMap<>();
    public final AtomicInteger started = new AtomicInteger();
    public final AtomicInteger ended = new AtomicInteger();
    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    public final AtomicInteger awaitCalls = new AtomicInteger();
    private volatile Function<List<String>, CompletableFuture<Void>> awaitOverride;

    /** Everything ready from the start. */
    public static FakeGate allReady() {
        FakeGate g = new FakeGate();
        g.awaitOverride = c -> CompletableFuture.completedFuture(null);
        return g;
    }

    public FakeGate notReady(String... containers) {
        for (String c : containers) {
            ready.put(c, false);
        }
        return this;
    }

    /** Marks the container ready and completes the waits on it. */
    public void makeReady(String container) {
        ready.put(container, true);
        waitFor(container).complete(null);
    }

    /** Completes the waits on the container exceptionally. */
    public void fail(String container, RuntimeException failure) {
        waitFor(container).completeExceptionally(failure);
    }

    public void onAwait(Function<List<String>, CompletableFuture<Void>> f) {
        awaitOverride = f;
    }

    private CompletableFuture<Void> waitFor(String container) {
        return waits.computeIfAbsent(container, c -> new CompletableFuture<>());
    }

    /** Requests started and not yet ended. */
    public int inFlight() {
        return started.get() - ended.get();
    }

    public int openConnections() {
        return opened.get() - closed.get();
    }

    @Override
    public boolean isReady(List<String> containers) {
        for (String c : containers) {
            if (!ready.getOrDefault(c, true)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> awaitReady(List<String> containers) {
        awaitCalls.incrementAndGet();
        Function<List<String>, CompletableFuture<Void>> o = awaitOverride;
        if (o != null) {
            return o.apply(containers);
        }
        CompletableFuture<?>[] all = containers.stream().map(this::waitFor).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    @Override
    public void requestStarted(List<String> containers) {
        started.incrementAndGet();
    }

    @Override
    public void requestEnded(List<String> containers) {
        ended.incrementAndGet();
    }

    /** Requests that began and ended without counting as activity (no_wake). */
    public final AtomicInteger quietStarted = new AtomicInteger();
    public final AtomicInteger quietEnded = new AtomicInteger();

    @Override
    public void requestStarted(List<String> containers, boolean activity) {
        started.incrementAndGet();
        if (!activity) {
            quietStarted.incrementAndGet();
        }
    }

    @Override
    public void requestEnded(List<String> containers, boolean activity) {
        ended.incrementAndGet();
        if (!activity) {
            quietEnded.incrementAndGet();
        }
    }

    @Override
    public void connectionOpened(List<String> containers) {
        opened.incrementAndGet();
    }

    @Override
    public void connectionClosed(List<String> containers) {
        closed.incrementAndGet();
    }
}
