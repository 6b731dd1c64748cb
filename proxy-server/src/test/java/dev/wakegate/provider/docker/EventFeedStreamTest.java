package dev.wakegate.provider.docker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wakegate.provider.WorkloadEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@link EventFeed} reads and ends an event stream, against an engine that streams what a real
 * one never would (a malformed object), and that tells when a stream's connection is gone: a small
 * HTTP server on loopback answering {@code /_ping}, {@code /version} and {@code /events}, whose
 * event streams stay open (chunked, never ended) like the engine's. The real engine's events are
 * {@link DockerProviderTest}'s.
 */
class EventFeedStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String START = """
            {"status":"start","id":"c1","from":"x","Type":"container","Action":"start",
             "Actor":{"ID":"c1","Attributes":{"name":"web","image":"x"}},"scope":"local","time":1700000000,"timeNano":1700000000000000000}
            """;

    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger streamsGone = new AtomicInteger();
    private final List<String> filters = new CopyOnWriteArrayList<>();
    private volatile String firstStream = START;
    private HttpServer engine;

    @BeforeEach
    void startEngine() throws IOException {
        engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.setExecutor(handlers);
        engine.createContext("/_ping", ex -> answer(ex, "OK"));
        engine.createContext("/version", ex -> answer(ex, "{\"ApiVersion\":\"1.41\"}"));
        engine.createContext("/events", this::stream);
        engine.start();
    }

    @AfterEach
    void stopEngine() {
        engine.stop(0);
        handlers.shutdownNow();
    }

    private static void answer(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An event stream: the first one carries {@link #firstStream}, later ones nothing; each stays open until its client goes. */
    private void stream(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        filters.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
        boolean first = streamsOpened.getAndIncrement() == 0;
        ex.sendResponseHeaders(200, 0); // chunked, as the engine streams events
        OutputStream out = ex.getResponseBody();
        try {
            if (first) {
                out.write(firstStream.getBytes(StandardCharsets.UTF_8));
            }
            while (true) { // whitespace between objects, so that a stream whose client left is noticed
                out.write('\n');
                out.flush();
                Thread.sleep(20);
            }
        } catch (IOException clientGone) {
            streamsGone.incrementAndGet();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private DockerProvider provider() {
        return DockerProvider.create("tcp://127.0.0.1:" + engine.getAddress().getPort());
    }

    @Test
    void eventObjectsAreReadAsTheyComeWithTheSourcesFilters() throws Exception {
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (DockerProvider docker = provider(); AutoCloseable sub = docker.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> events.size() >= 2);
            assertThat(events).extracting(WorkloadEvent::type)
                    .containsExactly(WorkloadEvent.Type.RESYNC, WorkloadEvent.Type.START);
            assertThat(events.get(1).name()).isEqualTo("web");
            assertThat(events.get(1).id()).isEqualTo("c1");
        }
        assertThat(filters).singleElement().satisfies(q -> assertThat(q)
                .startsWith("filters={")
                .contains("\"type\":[\"container\"]")
                .contains("\"event\":[\"create\",\"start\",\"kill\",\"die\",\"stop\",\"pause\",\"unpause\",\"destroy\",\"health_status\"]"));
    }

    @Test
    void aMalformedObjectEndsTheStreamAsLostAndTheFeedReconnects() throws Exception {
        // the reader must not wait for the rest of a stream that never ends before reporting the loss
        firstStream = START + "{\"Type\":\"container\",\"Action\":}\n";
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (DockerProvider docker = provider(); AutoCloseable sub = docker.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> events.size() >= 4);
            assertThat(events).extracting(WorkloadEvent::type).containsExactly(
                    WorkloadEvent.Type.RESYNC, WorkloadEvent.Type.START,
                    WorkloadEvent.Type.DISCONNECTED, WorkloadEvent.Type.RESYNC);
            assertThat(events.get(2).detail()).contains("docker engine unreachable at tcp://127.0.0.1:");
            // the malformed stream's connection was dropped, not left open beside the new one
            await().atMost(WAIT).until(() -> streamsGone.get() >= 1);
            assertThat(streamsOpened.get()).isEqualTo(2);
        }
    }

    @Test
    void closingASubscriptionDropsItsStreamsConnectionAtOnce() throws Exception {
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (DockerProvider docker = provider()) {
            AutoCloseable sub = docker.subscribe(events::add);
            await().atMost(WAIT).until(() -> events.size() >= 2);
            assertThat(streamsGone.get()).isZero();

            long t0 = System.nanoTime();
            sub.close(); // from this thread, while the stream's reader waits on the engine
            await().atMost(WAIT).until(() -> streamsGone.get() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(streamsOpened.get()).isEqualTo(1);
            assertThat(events).extracting(WorkloadEvent::type)
                    .containsExactly(WorkloadEvent.Type.RESYNC, WorkloadEvent.Type.START);
        }
    }
}
