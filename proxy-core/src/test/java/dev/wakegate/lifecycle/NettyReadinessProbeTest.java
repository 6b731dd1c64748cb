package dev.wakegate.lifecycle;

import dev.wakegate.config.HostPort;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.wakegate.testing.Loopback.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/** The real probe against real loopback sockets. */
class NettyReadinessProbeTest {
    private static EventLoopGroup group;
    private static NettyReadinessProbe probe;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        probe = NettyReadinessProbe.nio(group);
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Serves one canned answer per connection on 127.0.0.1; returns its port. */
    private static ServerSocket server(String response) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    StringBuilder head = new StringBuilder();
                    int n;
                    while (!head.toString().contains("\r\n\r\n") && (n = in.read(buf)) > 0) {
                        head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return ss;
    }

    @Test
    void httpProbeAccepts2xxAnd3xx() throws Exception {
        for (String status : new String[]{"200 OK", "204 No Content", "302 Found"}) {
            try (ServerSocket ss = server("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n")) {
                HostPort target = new HostPort("127.0.0.1", ss.getLocalPort());
                assertThat(probe.http(target, "/healthz", Duration.ofSeconds(2)).get()).as(status).isTrue();
            }
        }
    }

    @Test
    void httpProbeRejects5xxAndGarbage() throws Exception {
        for (String answer : new String[]{"HTTP/1.1 503 Service Unavailable\r\n\r\n", "hello\r\n"}) {
            try (ServerSocket ss = server(answer)) {
                HostPort target = new HostPort("127.0.0.1", ss.getLocalPort());
                assertThat(probe.http(target, "/", Duration.ofSeconds(2)).get()).as(answer).isFalse();
            }
        }
    }

    @Test
    void probesOfAClosedPortAreNotReady() throws Exception {
        HostPort target = new HostPort("127.0.0.1", freePort());
        assertThat(probe.tcp(target, Duration.ofSeconds(2)).get()).isFalse();
        assertThat(probe.http(target, "/", Duration.ofSeconds(2)).get()).isFalse();
    }

    @Test
    void tcpProbeOfAListeningPortIsReady() throws Exception {
        try (ServerSocket ss = server("")) {
            assertThat(probe.tcp(new HostPort("127.0.0.1", ss.getLocalPort()), Duration.ofSeconds(2)).get()).isTrue();
        }
    }

    @Test
    void httpProbeGivesUpAtItsDeadlineWhenNothingAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            boolean ok = probe.http(new HostPort("127.0.0.1", silent.getLocalPort()), "/", Duration.ofMillis(200)).get();
            assertThat(ok).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void statusGivesTheAnswersCodeOrZeroWithoutOne() throws Exception {
        String[][] cases = {{"HTTP/1.1 200 OK\r\n\r\n", "200"}, {"HTTP/1.0 503 Busy\r\n\r\n", "503"},
                {"HTTP/1.1 204\r\n\r\n", "204"}, {"hello\r\n", "0"}, {"HTTP/1.1 2000 OK\r\n\r\n", "0"}};
        for (String[] c : cases) {
            try (ServerSocket ss = server(c[0])) {
                HostPort target = new HostPort("127.0.0.1", ss.getLocalPort());
                assertThat(probe.status(target, "/busy", Duration.ofSeconds(2)).get()).as(c[0])
                        .isEqualTo(Integer.parseInt(c[1]));
            }
        }
        assertThat(probe.status(new HostPort("127.0.0.1", freePort()), "/busy", Duration.ofSeconds(2)).get())
                .as("refused").isZero();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe.status(new HostPort("127.0.0.1", silent.getLocalPort()), "/busy", Duration.ofMillis(200))
                    .get()).as("silent").isZero();
        }
    }
}
