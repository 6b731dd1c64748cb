package dev.wakegate.testing;

import dev.wakegate.lifecycle.StartFailure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link StartFailure} a future failed with. Lifecycle and providers promise to fail with the
 * StartFailure itself, not wrapped in a CompletionException, so that is checked too.
 */
public final class StartFailures {
    private StartFailures() {
    }

    /** The failure of a future that has failed already (a test on a manual scheduler). */
    public static StartFailure failureOf(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return failureOf(f, Duration.ZERO);
    }

    /** The failure of a future that fails within {@code wait}; an answer or no answer in time fails the test. */
    public static StartFailure failureOf(CompletableFuture<?> f, Duration wait) {
        Throwable failure;
        try {
            failure = f.handle((v, ex) -> ex).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the future neither answered nor failed within " + wait, e);
        }
        assertThat(failure).as("failed, with the StartFailure itself").isInstanceOf(StartFailure.class);
        return (StartFailure) failure;
    }
}
