package dev.wakegate.provider.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.wakegate.provider.WorkloadEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code docker events}, followed: each subscription connects, delivers the events its
 * {@link Source} picks, and on loss reconnects with capped exponential backoff until closed. Its
 * listener hears RESYNC after each (re)connect and DISCONNECTED once per outage, in stream order,
 * on one thread ({@code wakegate-docker-events-N}), which never waits on the engine; each stream is
 * read on a thread of its own ({@code wakegate-docker-event-stream-N}), its objects parsed as JSON
 * trees ({@link EngineJson#events}) and mapped by the {@link Source}. The Docker
 * provider follows containers with it ({@link ContainerEvents}), the Swarm provider services and
 * their tasks.
 *
 * <p>An engine that accepts connections but does not answer (a frozen dockerd) would leave a
 * stream open and silent. So while anyone follows the events the engine is pinged every
 * {@link #LIVENESS_INTERVAL}, and whenever a call goes unanswered ({@link EngineCalls#whenSilent})
 * the streams are dropped as lost: subscribers hear DISCONNECTED now and RESYNC once the engine
 * answers again.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerProvider.class);
    /** How often a connected engine is pinged, so a frozen one is noticed while nothing else asks it. */
    static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(5);
    private static final long BACKOFF_MIN_MS = 100;
    private static final long BACKOFF_MAX_MS = 5_000;

    /** Which events a feed asks the engine for, and what each one means to the lifecycle. */
    public interface Source {
        /** The request's filters ({@code --filter type=... --filter event=...}): name to values. */
        Map<String, List<String>> filters();

        /** The event (one object of the stream) as the lifecycle follows it; null for one it does not. Pure: called on the stream's reader. */
        @Nullable WorkloadEvent map(JsonNode event);

        /** A stream connected (events will now tell when what was cached goes stale). */
        default void connected() {
        }

        /** A stream was lost or closed. */
        default void disconnected() {
        }

        /** Just before {@code event} reaches the listener. */
        default void seen(WorkloadEvent event) {
        }
    }

    private final EngineCalls calls;
    private final Source source;
    /** Pings, on the calls' transport. */
    private final EngineJson engine;
    /** The streams, on a transport without response timeout. */
    private final EngineJson streams;
    private final ThreadFactory readers = EngineCalls.daemonThreads("wakegate-docker-event-stream-");
    private final ScheduledExecutorService eventsExecutor;
    private final Set<Feed> feeds = new CopyOnWriteArraySet<>();
    private final AtomicBoolean livenessPingInFlight = new AtomicBoolean();
    private volatile boolean closed;

    public EventFeed(EngineCalls calls, EngineClients clients, Source source) {
        this.calls = calls;
        this.source = source;
        this.engine = new EngineJson(clients.callsHttp());
        this.streams = new EngineJson(clients.eventsHttp());
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1,
                EngineCalls.daemonThreads("wakegate-docker-events-"));
        events.setRemoveOnCancelPolicy(true);
        this.eventsExecutor = events;
        calls.whenSilent(this::abortAll);
        calls.every(LIVENESS_INTERVAL, this::livenessPing);
    }

    /** See {@link dev.wakegate.provider.WorkloadProvider#subscribe}. */
    public     AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
        if (closed) {
            throw new IllegalStateException("docker runtime is closed");
        }
        Feed feed = new Feed(listener);
        feeds.add(feed);
        eventsExecutor.execute(feed::connect);
        return feed;
    }

    /** Drops every stream as lost (the engine did not answer a call): each reconnects with backoff. */
    private void abortAll(String reason) {
        for (Feed feed : feeds) {
            feed.abort(reason);
        }
    }

    /**
     * Every {@link #LIVENESS_INTERVAL} while anyone follows the events: a bounded ping (one at a
     * time). Also while a stream is still being opened, which a freeze at that moment would
     * otherwise leave waiting for good: the stream itself has no deadline.
     */
    private void livenessPing() {
        if (closed || feeds.isEmpty() || !livenessPingInFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            calls.call(null, () -> {
                engine.ping();
                return null;
            }).whenComplete((v, ex) -> livenessPingInFlight.set(false));
        } catch (RuntimeException e) {
            // never let the periodic task die; the next round tries again
            livenessPingInFlight.set(false);
            log.debug("docker liveness ping could not be sent", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        feeds.forEach(Feed::close);
        eventsExecutor.shutdownNow();
    }

    private void onThread(Runnable r) {
        try {
            eventsExecutor.execute(r);
        } catch (RejectedExecutionException shuttingDown) {
            // closed meanwhile
        }
    }

    /** One subscription. State is touched only on {@link #eventsExecutor}. */
    private final class Feed implements AutoCloseable {
        private final Consumer<WorkloadEvent> listener;
        private volatile boolean stopped;
        private volatile @Nullable Attempt current;
        private boolean connected;
        private boolean disconnectReported;
        private long backoffMs = BACKOFF_MIN_MS;

        Feed(Consumer<WorkloadEvent> listener) {
            this.listener = listener;
        }

        void connect() {
            if (stopped) {
                return;
            }
            Attempt attempt = new Attempt();
            current = attempt;
            // a bounded ping first (the stream itself has no deadline), on the call pool: this
            // thread delivers every feed's events and must never wait on the engine
            calls.call(null, () -> {
                engine.ping();
                return null;
            }).whenComplete((v, ex) -> onThread(() -> {
                if (stopped || current != attempt || attempt.ended.get()) {
                    return; // closed, or given up on meanwhile (a reconnect is on its way)
                }
                if (ex != null) {
                    attempt.end(ex); // the call's own future: a StartFailure, not wrapped
                    return;
                }
                try {
                    readers.newThread(attempt::read).start(); // the stream is read on a thread of its own
                } catch (RuntimeException | OutOfMemoryError e) {
                    attempt.end(e);
                }
            }));
        }

        private void onConnected() {
            if (stopped) {
                return;
            }
            connected = true;
            disconnectReported = false;
            backoffMs = BACKOFF_MIN_MS;
            source.connected();
            calls.markReachable();
            deliver(WorkloadEvent.of(WorkloadEvent.Type.RESYNC));
        }

        private void onLost(@Nullable Throwable cause) {
            if (connected) {
                connected = false;
                source.disconnected();
            }
            if (stopped) {
                return;
            }
            String reason = cause == null
                    ? calls.unreachable("event stream closed by the engine")
                    : calls.unreachable(cause);
            calls.markUnreachable(reason);
            if (!disconnectReported) {
                disconnectReported = true;
                deliver(WorkloadEvent.disconnected(reason));
            }
            long delay = backoffMs;
            backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            try {
                eventsExecutor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // closed meanwhile
            }
        }

        private void deliver(WorkloadEvent e) {
            if (e.type() != WorkloadEvent.Type.RESYNC && e.type() != WorkloadEvent.Type.DISCONNECTED) {
                source.seen(e);
            }
            try {
                listener.accept(e);
            } catch (RuntimeException bug) {
                log.error("docker event listener failed on {}", e, bug);
            }
        }

        /** Drops the current stream as lost (the engine did not answer a call): reconnects with backoff. */
        void abort(String reason) {
            Attempt a = current;
            if (a != null) {
                a.abort(new EngineCalls.EngineSilent(reason));
            }
        }

        @Override
        public void close() {
            if (stopped) {
                return;
            }
            stopped = true;
            feeds.remove(this);
            Attempt a = current;
            if (a != null) {
                a.cancel();
            }
            onThread(() -> {
                if (connected) {
                    connected = false;
                    source.disconnected();
                }
            });
        }

        /** One connection of the stream; the first of error/end/cancel ends it. */
        private final class Attempt {
            private final AtomicBoolean ended = new AtomicBoolean();
            private volatile DockerHttpClient.@Nullable Response response;
            private volatile @Nullable Thread reader;

            /**
             * On its own thread: opens the stream, then maps each object it carries until the
             * engine ends it, it fails, or it is closed ({@link #closeStream}, from any thread).
             */
            void read() {
                reader = Thread.currentThread();
                try {
                    if (stopped || ended.get()) {
                        return; // closed, or given up on before the stream was asked for
                    }
                    DockerHttpClient.Response r = streams.events(source.filters());
                    response = r;
                    try (r) {
                        if (stopped || ended.get()) {
                            return; // closed, or given up on while the engine was silent and answered only now
                        }
                        onThread(Feed.this::onConnected);
                        JsonParser parser = EngineJson.JSON.createParser(r.getBody());
                        // closing the body would read the chunked stream to its end, which an event
                        // stream never reaches: it is the response's close (an abort) that ends it
                        parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
                        try (parser) {
                            while (parser.nextToken() != null) { // at the next object, or the end of the stream
                                JsonNode event = EngineJson.JSON.readTree(parser);
                                WorkloadEvent e = source.map(event);
                                if (e != null && !ended.get()) {
                                    onThread(() -> {
                                        if (!stopped) {
                                            deliver(e);
                                        }
                                    });
                                }
                            }
                        }
                    }
                    end(null);
                } catch (Exception e) {
                    end(e); // a no-op when this attempt was closed: that is why the read failed
                } finally {
                    reader = null;
                }
            }

            void end(@Nullable Throwable cause) {
                if (ended.compareAndSet(false, true)) {
                    onThread(() -> onLost(cause));
                }
            }

            /** Ends it as lost with {@code cause} (subscribers hear DISCONNECTED), then closes the stream. */
            void abort(Throwable cause) {
                end(cause);
                closeStream();
            }

            void cancel() {
                ended.set(true);
                closeStream();
            }

            /**
             * Interrupts the reader and aborts the stream's connection: does not wait for the
             * engine. One not open yet is closed by its reader, which checks {@link #ended} once
             * it has it.
             */
            private void closeStream() {
                Thread t = reader;
                if (t != null) {
                    t.interrupt();
                }
                DockerHttpClient.Response r = response;
                if (r != null) {
                    try {
                        r.close();
                    } catch (RuntimeException ignored) {
                        // already gone
                    }
                }
            }
        }
    }
}
