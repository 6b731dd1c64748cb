package dev.wakegate.async;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The few things every asynchronous part of wakegate does with a {@link CompletableFuture}: see
 * through the wrappers a failure arrives in, name it, join several, and turn a call that throws
 * into a failed future.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * The failure itself, without the {@link CompletionException}s and {@link ExecutionException}s
     * that {@code join}, {@code get} and dependent stages wrap it in. Causes below that are kept:
     * they are the failure's own story.
     */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The failure's own words: the message of {@link #unwrap}, else its class name. */
    public static String message(Throwable t) {
        Throwable failure = unwrap(t);
        String m = failure.getMessage();
        return m == null || m.isBlank() ? failure.getClass().getSimpleName() : m;
    }

    /**
     * Completes {@code result} when all parts complete, or exceptionally with the first failure
     * (unwrapped) as soon as one fails: a request should not wait for a slow sibling when another
     * container of its route already failed.
     */
    public static void joinFailFast(List<CompletableFuture<Void>> parts, CompletableFuture<Void> result) {
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
    public static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
