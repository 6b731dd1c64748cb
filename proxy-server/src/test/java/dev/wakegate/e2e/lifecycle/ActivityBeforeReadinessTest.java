package dev.wakegate.e2e.lifecycle;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.relay.FrontServer;
import dev.wakegate.relay.Transport;
import dev.wakegate.route.Route;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.TcpEchoServer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path's half of the idle cordon (see {@code LifecycleGate}): a request or TCP connection
 * is counted as activity BEFORE the readiness check lets it through, so an idle stop that cordons
 * and then re-reads the counts either sees it or is seen by it. The gate here answers "ready" only
 * when the traffic asking is already counted, which is exactly what the evictor's re-check relies
 * on; a data path that checks first and counts later is sent to parking and fails.
 */
class ActivityBeforeReadinessTest {
    private final HttpTestServer http = new HttpTestServer("http");
    private final TcpEchoServer echo = new TcpEchoServer();
    private final EventLoopGroup workers = Transport.newEventLoopGroup(1);
    private final CountedFirstGate gate = new CountedFirstGate();
    private FrontServer front;

    /** Ready only while something is counted; a check that comes first is parked and refused. */
    private static final class CountedFirstGate implements ContainerGate {
        final AtomicInteger inUse = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public boolean isReady(List<String> containers) {
            return inUse.get() > 0;
        }

        @Override
        public CompletableFuture<Void> awaitReady(List<String> containers) {
            refused.incrementAndGet();
            return CompletableFuture.failedFuture(new StartFailure(containers.get(0), StartFailure.Kind.FAILED,
                    "readiness checked before the traffic was counted"));
        }

        @Override
        public void requestStarted(List<String> containers) {
            inUse.incrementAndGet();
        }

        @Override
        public void requestEnded(List<String> containers) {
            inUse.decrementAndGet();
        }

        @Override
        public void connectionOpened(List<String> containers) {
            inUse.incrementAndGet();
        }

        @Override
        public void connectionClosed(List<String> containers) {
            inUse.decrementAndGet();
        }
    }

    @BeforeEach
    void start() throws Exception {
        int tcpPort = Loopback.freePort();
        ProxyConfig config = ConfigLoader.parse("""
                containers:
                  app: { upstream: 127.0.0.1:%d }
                  db: { upstream: 127.0.0.1:%d }
                routes:
                  - { path: /, containers: [app], upstream: app }
                tcp:
                  - { listen: 127.0.0.1:%d, container: db, upstream: db }
                """.formatted(http.port(), echo.port(), tcpPort), "test.yml", Map.of());
        front = new FrontServer(new HostPort("127.0.0.1", Loopback.freePort()), Route.compile(config.routes()).routesFor(null), config.tcp(), config.timeouts(),
                config.limits(), gate, LocalEndpoints.NONE, new CountingMetrics(), workers).start();
    }

    @AfterEach
    void stop() {
        front.close();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        http.close();
        echo.close();
    }

    @Test
    void httpRequestIsCountedBeforeItsReadinessCheck() {
        try (RawHttpClient client = new RawHttpClient(front.httpAddress())) {
            RawHttpClient.Response r = client.get("/hello");
            assertThat(r.status()).as("body %s", r.bodyText()).isEqualTo(200);
        }
        assertThat(gate.refused).hasValue(0);
    }

    @Test
    void tcpConnectionIsCountedBeforeItsReadinessCheck() throws Exception {
        InetSocketAddress listener = front.tcpAddresses().get(0);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
        assertThat(gate.refused).hasValue(0);
    }
}
