package dev.wakegate.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/** Small future and text helpers of the lifecycle package. */
final class Futures {
    private Futures() {
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The engine's own words for a failure: the message of the root cause, else its class. */
    static String message(Throwable t) {
        Throwable root = unwrap(t);
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }

    /**
     * Completes {@code result} when all parts complete, or exceptionally with the first failure
     * (unwrapped) as soon as one fails: a request should not wait for a slow sibling when another
     * container of its route already failed.
     */
    static void joinFailFast(List<CompletableFuture<Void>> parts, CompletableFuture<Void> result) {
        if (parts.isEmpty()) {
            result.complete(null);
            return;
        }
        AtomicInteger left = new AtomicInteger(parts.size());
        for (CompletableFuture<Void> part : parts) {
            part.whenComplete((v, ex) -> {
                if (ex != null) {
                    result.completeExceptionally(unwrap(ex));
                } else if (left.decrementAndGet() == 0) {
                    result.complete(null);
                }
            });
        }
    }

    /** Calls {@code call}; a call that throws instead of failing its future gives a failed future. */
    static <T> CompletableFuture<T> attempt(java.util.function.Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** "60s", "1500ms", "30m", "2h": the config's own duration notation. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 120) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
