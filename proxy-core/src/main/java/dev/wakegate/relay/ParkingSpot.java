package dev.wakegate.relay;

import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.park.ParkedRequest;
import dev.wakegate.park.ParkingLot;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * A client connection's place in the {@link ParkingLot} while containers start: for the current
 * request of an {@link HttpFrontHandler}, or for a whole {@link TcpFrontHandler} connection. It
 * holds the {@link ParkedRequest} that waits, from {@link #park} until the request is done
 * ({@link #left}) or the connection lets it go ({@link #abandon}); at most one at a time. The
 * handler keeps its own state and decides what the end of the wait means. One per connection;
 * event loop only.
 */
final class ParkingSpot {
    private @Nullable ParkedRequest parked;

    /**
     * Parks {@code head} (handed over; null for a TCP connection) in {@code dp}'s lot until
     * {@code containers} are ready or failed: then {@code onDone} runs on {@code loop}, possibly
     * before this returns, and may take the head back ({@link ParkedRequest#takeHead}). False when
     * the lot is full: nothing waits, and the head is released.
     */
    boolean park(DataPath dp, EventLoop loop, @Nullable ByteBuf head, List<String> containers,
                 BiConsumer<ParkedRequest, @Nullable StartFailure> onDone) {
        assert parked == null : "one parked request per connection";
        ParkedRequest p = ParkedRequest.park(dp.parkingLot, loop, head, dp.gate, containers, dp.parkDeadline, onDone);
        if (p == null) {
            if (head != null) {
                head.release();
            }
            return false;
        }
        if (!p.isDone()) {
            parked = p; // else onDone has run already
        }
        return true;
    }

    /** The parked request is done (its {@code onDone} runs): the place is free, nothing to release here. */
    void left() {
        parked = null;
    }

    /** The request is given up or the connection goes: a parked request is destroyed (head released, {@code onDone} never runs). */
    void abandon() {
        if (parked != null) {
            parked.destroy();
            parked = null;
        }
    }

    /** Whether a request waits here: for tests. */
    boolean occupied() {
        return parked != null;
    }
}
