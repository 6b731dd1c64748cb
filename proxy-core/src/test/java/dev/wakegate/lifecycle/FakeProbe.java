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
