package dev.wakegate.relay;

/**
 * What the data path reports for metrics. Called on event loops: implementations must be cheap
 * and non-blocking (Micrometer counters cached per route, see proxy-server's {@code MicrometerProxyMetrics}).
 */
public interface ProxyMetrics {

    /** A response was sent for a request that matched {@code routePath} (null: no route). */
    void requestCompleted(String routePath, int status);

    /** An upstream could not be used: {@code reason} is connect_refused, connect_timeout, reset, response_timeout, dns. */
    void upstreamError(String upstream, String reason);

    /** A request or connection was parked (+1) or left parking (-1). */
    void parked(int delta);

    ProxyMetrics NOOP = new ProxyMetrics() {
        @Override
        public void requestCompleted(String routePath, int status) {
        }

        @Override
        public void upstreamError(String upstream, String reason) {
        }

        @Override
        public void parked(int delta) {
        }
    };
}
