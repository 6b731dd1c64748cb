package dev.wakegate.relay;

import dev.wakegate.route.NoWakeRule;
import org.jspecify.annotations.Nullable;

/**
 * What the data path reports for metrics. Called on event loops: implementations must be cheap
 * and non-blocking (Micrometer counters cached per route, see proxy-server's {@code MicrometerProxyMetrics}).
 */
public interface ProxyMetrics {

    /** A response was sent for a request that matched {@code routePath} (null: no route). */
    void requestCompleted(@Nullable String routePath, int status);

    /** An upstream could not be used, or failed in the middle of a response. */
    void upstreamError(String upstream, UpstreamFailure failure);

    /** A request or connection was parked (+1) or left parking (-1). */
    void parked(int delta);

    /**
     * A request matched {@code no_wake}: refused with a 503 because its containers sleep (nothing
     * was started), or {@code served} by running ones without counting as activity.
     */
    default void notWoken(NoWakeRule.Reason reason, boolean served) {
    }

    ProxyMetrics NOOP = new ProxyMetrics() {
        @Override
        public void requestCompleted(@Nullable String routePath, int status) {
        }

        @Override
        public void upstreamError(String upstream, UpstreamFailure failure) {
        }

        @Override
        public void parked(int delta) {
        }
    };
}
