package dev.wakegate.park;

import dev.wakegate.async.Futures;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.lifecycle.StartFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A request held on its client connection while the containers of its route start (or a TCP
 * connection, which has no head, while its listener's container starts). It owns the rewritten
 * request head, a place in the {@link ParkingLot} and a safety timer; the client's handler keeps
 * the (bounded) body bytes and stops reading once they reach the park buffer limit.
 *
 * <p>Exactly one of three things ends it, on the client's event loop: the gate's
 * {@link ContainerGate#awaitReady} completes (the callback gets null, or the {@link StartFailure}),
 * the safety deadline passes (a TIMEOUT failure), or {@link #destroy()} because the client left
 * (everything held is released and the callback never runs, like netty's
 * {@code FlowControlHandler#destroy}).
 */
public final class ParkedRequest {
    private final ParkingLot lot;
    private final EventLoop loop;
    private @Nullable ByteBuf head;
    private @Nullable ScheduledFuture<?> deadline;
    private @Nullable BiConsumer<ParkedRequest, @Nullable StartFailure> onDone;
    private boolean done;
    private final long parkedAt = System.nanoTime();

    private ParkedRequest(ParkingLot lot, EventLoop loop, @Nullable ByteBuf head) {
        this.lot = lot;
        this.loop = loop;
        this.head = head;
    }

    /**
     * Parks a request, or returns null when the lot is full (the caller still owns {@code head},
     * which is null for a TCP connection).
     * {@code onDone} runs on {@code loop} (possibly before this method returns) with this request and
     * null when the containers are ready, or the failure; it may {@link #takeHead()}.
     */
    public static @Nullable ParkedRequest park(ParkingLot lot, EventLoop loop, @Nullable ByteBuf head,
                                               ContainerGate gate, List<String> containers, Duration safetyDeadline,
                                               BiConsumer<ParkedRequest, @Nullable StartFailure> onDone) {
        assert loop.inEventLoop();
        if (!lot.tryEnter()) {
            return null;
        }
        ParkedRequest p = new ParkedRequest(lot, loop, head);
        p.onDone = onDone;
        p.deadline = loop.schedule(() -> p.finish(new StartFailure(containers.isEmpty() ? null : containers.get(0),
                StartFailure.Kind.TIMEOUT, "containers not ready after " + safetyDeadline.toSeconds() + "s")),
                safetyDeadline.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<Void> ready;
        try {
            ready = gate.awaitReady(containers);
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        ready.whenComplete((v, error) -> {
            @Nullable StartFailure failure = error == null ? null : asStartFailure(error, containers);
            if (loop.inEventLoop()) {
                p.finish(failure);
            } else {
                try {
                    loop.execute(() -> p.finish(failure));
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // the loop is gone, and with it the connection and everything it held
                }
            }
        });
        return p;
    }

    /** Hands the head back to the caller (who now owns it); null after {@link #destroy}. */
    public @Nullable ByteBuf takeHead() {
        ByteBuf h = head;
        head = null;
        return h;
    }

    /** The client went away or the connection is closing: release everything, forget the request. */
    public void destroy() {
        assert loop.inEventLoop();
        if (done) {
            return;
        }
        done = true;
        leave();
    }

    public boolean isDone() {
        return done;
    }

    /** How long it has been parked (its request's cold-start wait, once it is done). */
    public long waitedNanos() {
        return System.nanoTime() - parkedAt;
    }

    private void finish(@Nullable StartFailure failure) {
        if (done) {
            return;
        }
        done = true;
        BiConsumer<ParkedRequest, @Nullable StartFailure> callback = onDone;
        // leave the lot before the callback, so a request forwarded from here no longer counts
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        lot.leave();
        onDone = null;
        if (callback != null) { // always set by park(), before any finish can run
            callback.accept(this, failure);
        }
        if (head != null) { // the callback did not take it
            head.release();
            head = null;
        }
    }

    private void leave() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        onDone = null;
        if (head != null) {
            head.release();
            head = null;
        }
        lot.leave();
    }

    static StartFailure asStartFailure(Throwable error, List<String> containers) {
        Throwable e = Futures.unwrap(error);
        if (e instanceof StartFailure sf) {
            return sf;
        }
        return new StartFailure(containers.isEmpty() ? null : containers.get(0), StartFailure.Kind.FAILED,
                String.valueOf(e.getMessage()));
    }
}
