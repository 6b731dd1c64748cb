package dev.wakegate.relay;

/**
 * Why an upstream produced no (complete) response: the one place that says which status the
 * client gets when nothing of the response was sent yet, which label the failure has in
 * {@code wakegate_upstream_errors_total{reason}}, and whether a request may be sent again.
 *
 * <p>A retry is only ever considered for a failure on a <em>reused</em> keep-alive connection
 * before any byte of the response arrived (the upstream may have closed the idle connection just
 * as the request went out, so it probably never saw it), and only for an idempotent, bodiless
 * request: see {@link Retry#REUSED_ONLY}. That is nginx's {@code proxy_next_upstream} default restricted
 * to the reused-connection race, and RFC 9110 section 9.2.2: a proxy must not retry a
 * non-idempotent request automatically.
 */
public enum UpstreamFailure {
    /** The upstream's host name does not resolve. */
    DNS(502, "dns", Retry.NEVER),
    /** The connection was refused (nothing listens) or failed otherwise while connecting. */
    CONNECT_REFUSED(502, "connect_refused", Retry.NEVER),
    /** No connection within {@code timeouts.upstream_connect}. */
    CONNECT_TIMEOUT(504, "connect_timeout", Retry.NEVER),
    /** The upstream closed (or reset) the connection before the response ended. */
    RESET(502, "reset", Retry.REUSED_ONLY),
    /** The upstream took none of the request body for {@code timeouts.upstream_send}. */
    SEND_TIMEOUT(504, "send_timeout", Retry.NEVER),
    /** The response head or its body framing is malformed. */
    BAD_RESPONSE(502, "bad_response", Retry.NEVER),
    /** No response head within {@code timeouts.upstream_response} after the request was sent. */
    RESPONSE_TIMEOUT(504, "response_timeout", Retry.NEVER),
    /** The response stalled: nothing read for {@code timeouts.upstream_read} after its head. */
    READ_TIMEOUT(504, "read_timeout", Retry.NEVER);

    /** Whether a request that met the failure may be sent again (pingora's {@code RetryType}). */
    public enum Retry {
        /** Never: the upstream may have acted on the request, or will fail the same way again. */
        NEVER,
        /**
         * Only when the connection was a reused keep-alive one and no byte of the response arrived
         * (the stale-connection race), and only a request that can be sent again as it is.
         */
        REUSED_ONLY
    }

    private final int status;
    private final String metricTag;
    private final Retry retry;

    UpstreamFailure(int status, String metricTag, Retry retry) {
        this.status = status;
        this.metricTag = metricTag;
        this.retry = retry;
    }

    /** The status the client gets when no byte of the response went to it yet (502 or 504). */
    public int status() {
        return status;
    }

    /** The {@code reason} label of {@code wakegate_upstream_errors_total}. */
    public String metricTag() {
        return metricTag;
    }

    /** When a request that met this failure may be sent again on a new connection. */
    public Retry retry() {
        return retry;
    }
}
