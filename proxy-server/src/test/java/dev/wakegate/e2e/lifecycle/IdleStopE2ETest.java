package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.IdleCheckReport;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import dev.wakegate.testing.WebSocketTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sleep when idle, against a real engine: one wakegate with a 2 s idle timeout checked every
 * 500 ms, in front of real containers (one per behaviour, reused by nothing else). A container
 * with nothing in use is stopped soon after its timeout; an in-flight request, an open WebSocket
 * or an open TCP connection keeps it up, as does priority critical; a stop done by hand is noticed.
 *
 * <p>Each "kept up" test ends by letting go and seeing the container stopped, so it could fail.
 */
@Tag("docker")
class IdleStopE2ETest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration CHECK = Duration.ofMillis(500);
    /** Longer than IDLE plus a few checks: the time a busy container must survive. */
    private static final Duration HOLD = Duration.ofMillis(3500);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private static DockerFixture docker;
    private static HttpTestServer wsUpstream;
    private static WakegateHarness proxy;
    private static Site idle;
    private static Site slow;
    private static Site tcp;
    private static Site manual;
    private static String wsContainer;
    private static String critical;
    private static int tcpListen;

    @BeforeAll
    static void stack() {
        docker = new DockerFixture();
        wsUpstream = new HttpTestServer("ws-echo");
        idle = Upstreams.site(docker, "idle", "idle");
        slow = Upstreams.site(docker, "slow", "slow");
        tcp = Upstreams.site(docker, "tcp", "tcp");
        manual = Upstreams.site(docker, "manual", "manual");
        wsContainer = docker.sleeper("ws");
        critical = docker.sleeper("critical");
        tcpListen = Loopback.freePort();
        proxy = WakegateHarness.start("""
                workers: 2
                automation:
                  idle_check_interval: %s
                  startup_timeout: 10s
                  min_running: 0
                  max_stops_per_cycle: 5
                containers:
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { idle_timeout: %s }
                  %s: { priority: critical }
                routes:
                  - { path: /idle, containers: [%s], upstream: %s }
                  - { path: /cgi-bin, containers: [%s], upstream: %s }
                  - { path: /manual, containers: [%s], upstream: %s }
                  - { path: /ws, containers: [%s], upstream: 127.0.0.1:%d }
                tcp:
                  - { listen: 127.0.0.1:%d, container: %s, upstream: %s }
                """.formatted(Upstreams.yamlDuration(CHECK),
                idle.name(), idle.upstream(), idle(), slow.name(), slow.upstream(), idle(), tcp.name(), tcp.upstream(),
                idle(), manual.name(), manual.upstream(), idle(), wsContainer, idle(), critical,
                idle.name(), idle.name(), slow.name(), slow.name(), manual.name(), manual.name(),
                wsContainer, wsUpstream.port(),
                tcpListen, tcp.name(), tcp.upstream()));
    }

    /**
     * The short timeout goes on each container, not on the priority defaults: label discovery makes
     * other tests' labelled containers on this engine managed here too, and they must not be stopped.
     */
    private static String idle() {
        return Upstreams.yamlDuration(IDLE);
    }

    @AfterAll
    static void cleanUp() {
        if (proxy != null) {
            proxy.close();
        }
        if (wsUpstream != null) {
            wsUpstream.close();
        }
        docker.close();
    }

    private static Lifecycle lifecycle() {
        return proxy.server().lifecycle();
    }

    /** Asserts the container keeps running for {@link #HOLD} (idle timeout plus several checks). */
    private static void assertStaysUp(String name) {
        await(name + " kept running").during(HOLD).atMost(HOLD.plusSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> running(docker, name));
    }

    private static void awaitStopped(String name) {
        docker.awaitStopped(name, STOP_WAIT);
    }

    @Test
    void idleContainerIsStoppedAfterItsTimeoutAndTheNextRequestWakesIt() {
        assertThat(proxy.get("/idle/").body().trim()).isEqualTo(idle.name());
        long lastRequest = System.nanoTime();

        awaitStopped(idle.name());

        assertThat(Duration.ofNanos(System.nanoTime() - lastRequest)).isGreaterThanOrEqualTo(IDLE);
        await("the stop counted").atMost(Duration.ofSeconds(5))
                .until(() -> lifecycle().stats().countsOf(idle.name()).stopSuccesses() == 1);
        HttpResponse<String> again = proxy.get("/idle/");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body().trim()).isEqualTo(idle.name());
        assertThat(docker.countEvents(idle.name(), "start")).isEqualTo(2);
    }

    @Test
    void slowRequestInFlightKeepsItsContainerUp() throws Exception {
        assertThat(proxy.get("/cgi-bin/slow?0").statusCode()).isEqualTo(200); // warm
        long seconds = HOLD.toSeconds() + 2;
        CompletableFuture<HttpResponse<String>> slowOne = proxy.client().sendAsync(
                HttpRequest.newBuilder(proxy.uri("/cgi-bin/slow?" + seconds)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle().container(slow.name()).inFlight() == 1);

        assertStaysUp(slow.name());

        HttpResponse<String> r = slowOne.get(15, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo("slow");
        awaitStopped(slow.name());
    }

    @Test
    void openWebSocketKeepsItsContainerUp() throws Exception {
        try (WebSocketTestClient ws = new WebSocketTestClient(proxy.server().httpAddress(), "/ws")) {
            assertThat(running(docker, wsContainer)).isTrue(); // the handshake woke it
            assertThat(lifecycle().container(wsContainer).openConnections()).isEqualTo(1);

            assertStaysUp(wsContainer);

            ws.sendText("still there");
            assertThat(ws.next()).isEqualTo("echo:still there");
        }
        awaitStopped(wsContainer);
    }

    @Test
    void openTcpConnectionKeepsItsContainerUp() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpListen), 2000);
            s.setSoTimeout(10_000);
            await("relay open").atMost(Duration.ofSeconds(10))
                    .until(() -> lifecycle().container(tcp.name()).openConnections() == 1);

            assertStaysUp(tcp.name());

            OutputStream out = s.getOutputStream();
            out.write("GET /tcp/ HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.").contains(" 200 ").contains(tcp.name());
        }
        awaitStopped(tcp.name());
    }

    @Test
    void criticalContainerIsNeverStopped() throws Exception {
        lifecycle().startContainer(critical).get(20, TimeUnit.SECONDS);

        assertStaysUp(critical);

        IdleCheckReport last = lifecycle().runIdleCheckNow().get(10, TimeUnit.SECONDS);
        assertThat(last.skipped()).containsEntry(critical, "critical");
        assertThat(lifecycle().stats().countsOf(critical).stopAttempts()).isZero();
    }

    @Test
    void dockerStopByHandIsNoticedAndTheNextRequestWakesTheContainer() {
        assertThat(proxy.get("/manual/").statusCode()).isEqualTo(200);
        assertThat(lifecycle().container(manual.name()).state()).isEqualTo(ContainerState.READY);

        docker.stop(manual.name());

        await("die event seen").atMost(Duration.ofSeconds(5))
                .until(() -> lifecycle().container(manual.name()).state() == ContainerState.STOPPED);
        HttpResponse<String> r = proxy.get("/manual/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo(manual.name());
        assertThat(docker.countEvents(manual.name(), "start")).isEqualTo(2);
        assertThat(lifecycle().stats().countsOf(manual.name()).startsIssued()).isEqualTo(2);
    }
}
