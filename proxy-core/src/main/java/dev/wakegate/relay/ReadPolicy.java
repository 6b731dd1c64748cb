package dev.wakegate.relay;

import dev.wakegate.config.Limits;

/**
 * When an HTTP client connection reads, the one backpressure rule of {@link HttpFrontHandler}
 * (as armeria's {@code InboundTrafficController} is for its connections). Auto-read is off; after
 * each turn of the handler's pump this says whether to ask the client for more bytes, from the
 * connection's state, the bytes already held in its cumulation and what the upstream can take:
 * <ul>
 *   <li>a local answer reads the body to drop it, and after it at most a head's worth of
 *       pipelined bytes;</li>
 *   <li>a parked request, or one waiting for its upstream connection, holds its body up to
 *       {@code limits.park_buffer};</li>
 *   <li>a forwarded request reads while the upstream connection is writable, and holds up to
 *       {@code limits.park_buffer} while its head waits for the first chunk size; while the
 *       upstream takes no more, reads stop and the wait is the upstream's
 *       ({@link Verdict#UPSTREAM_FULL}, timed by {@code upstream_send});</li>
 *   <li>once the whole body is in, at most a head's worth of pipelined bytes, which also notices
 *       a client that goes away.</li>
 * </ul>
 * It also says when the {@code body_read} clock runs: only while the proxy reads because it waits
 * for the body, never while reads are paused for backpressure, nor while the client waits for
 * the 100 Continue it asked for. Immutable, shared by the connections of one server.
 */
final class ReadPolicy {

    /** What the handler does about reading. */
    enum Verdict {
        /** Ask the client for more bytes. */
        READ,
        /** Read nothing for now: enough is held, or the state takes no bytes. */
        HOLD,
        /** Read nothing for now: the upstream takes no more of the body; that wait is the upstream's. */
        UPSTREAM_FULL
    }

    /** What the upstream side of a forwarded request can take now. */
    interface Upstream {
        /** A connection is attached, writable, and the head has gone: body bytes may be written. */
        boolean canTakeBody();

        /** The head is held back until the first chunk size has been checked. */
        boolean headPending();
    }

    private final int headBytes;
    private final int parkBytes;

    ReadPolicy(Limits limits) {
        this(limits.maxHeadSize(), limits.parkBufferBytes());
    }

    /**
     * @param headBytes at most this much is read ahead once the body is in ({@code limits.max_head_size})
     * @param parkBytes at most this much body is held while the request cannot be forwarded ({@code limits.park_buffer})
     */
    ReadPolicy(int headBytes, int parkBytes) {
        this.headBytes = headBytes;
        this.parkBytes = parkBytes;
    }

    /**
     * @param buffered     bytes held in the cumulation (body bytes and pipelined requests)
     * @param bodyReceived the whole request body has arrived
     */
    Verdict decide(FrontState state, int buffered, boolean bodyReceived, Upstream upstream) {
        return switch (state) {
            case LOCAL -> !bodyReceived || buffered < headBytes ? Verdict.READ : Verdict.HOLD;
            case PARKED, CONNECTING -> buffered < parkBytes ? Verdict.READ : Verdict.HOLD;
            case PROXYING -> {
                if (bodyReceived) {
                    yield buffered < headBytes ? Verdict.READ : Verdict.HOLD;
                }
                if (upstream.canTakeBody()) {
                    yield Verdict.READ;
                }
                if (upstream.headPending()) {
                    yield buffered < parkBytes ? Verdict.READ : Verdict.HOLD;
                }
                yield Verdict.UPSTREAM_FULL;
            }
            default -> Verdict.HOLD;
        };
    }

    /**
     * Whether {@code body_read} times the client now: the proxy reads because it waits for body
     * bytes, and the client is not waiting for a 100 Continue.
     */
    static boolean bodyClockRuns(Verdict verdict, boolean bodyReceived, boolean awaitingContinue) {
        return verdict == Verdict.READ && !bodyReceived && !awaitingContinue;
    }
}
