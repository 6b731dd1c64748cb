package dev.wakegate.lifecycle;

import dev.wakegate.config.HostPort;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers probes from a table the test sets: an upstream is ready once marked so. */
final class FakeProbe implements ReadinessProbe {
    final Map<HostPort, Boolean> ready = new ConcurrentHashMap<>();
    final AtomicInteger httpCalls = new AtomicInteger();
    final AtomicInteger tcpCalls = new AtomicInteger();
    volatile String lastPath;
    /** What {@link #status} answers per upstream (0 = no answer); unset: 404. */
    final Map<HostPort, CompletableFuture<Integer>> statuses = new ConcurrentHashMap<>();
    final AtomicInteger statusCalls = new AtomicInteger();

    @Override
    public CompletableFuture<Integer> status(HostPort target, String path, Duration timeout) {
        statusCalls.incrementAndGet();
        lastPath = path;
        return statuses.getOrDefault(target, CompletableFuture.completedFuture(404));
    }

    @Override
    public CompletableFuture<Boolean> http(HostPort target, String path, Duration timeout) {
        httpCalls.incrementAndGet();
        lastPath = path;
        return CompletableFuture.completedFuture(ready.getOrDefault(target, false));
    }

    @Override
    public CompletableFuture<Boolean> tcp(HostPort target, Duration timeout) {
        tcpCalls.incrementAndGet();
        return CompletableFuture.completedFuture(ready.getOrDefault(target, false));
    }
}
