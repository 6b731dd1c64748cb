package dev.wakegate.lifecycle;

import dev.wakegate.config.HostPort;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One readiness check against a container's upstream. Both methods return at once and complete
 * with {@code true} when the upstream answered as ready, {@code false} otherwise (refused, timed out,
 * bad status). They complete exceptionally only with an {@link java.net.UnknownHostException}, when
 * the target's host name does not resolve (nothing was probed), so the caller can say so rather
 * than wait. {@link NettyReadinessProbe} is the real one.
 */
public interface ReadinessProbe {

    /** {@code GET path} over HTTP/1.1; a 2xx or 3xx status is ready. */
    CompletableFuture<Boolean> http(HostPort target, String path, Duration timeout);

    /**
     * {@code GET path} over HTTP/1.1: completes with the status code of the answer, or 0 when there
     * was none within {@code timeout} (refused, closed, not HTTP). The idle veto asks with it.
     */
    CompletableFuture<Integer> status(HostPort target, String path, Duration timeout);

    /** A TCP connect that succeeds is ready. */
    CompletableFuture<Boolean> tcp(HostPort target, Duration timeout);
}
