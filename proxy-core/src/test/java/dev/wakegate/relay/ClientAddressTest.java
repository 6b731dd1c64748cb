package dev.wakegate.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.config.AccessLogSettings;
import dev.wakegate.config.Limits;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.Route;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code trusted_proxies} and a route's {@code allow}/{@code deny}, through real sockets. Every
 * test client connects from 127.0.0.1, so "a trusted proxy" is loopback here and the clients
 * behind it are told by X-Forwarded-For.
 */
class ClientAddressTest {
    @TempDir
    Path dir;

    /** {@code /health/who} answers 200 and records the address the endpoints were given. */
    private final RecordingEndpoints who = new RecordingEndpoints();
    private final List<SocketAddress> endpointClients = who.clients;
    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady(), Limits.DEFAULTS, who, p -> List.of(
            new Route("/private", List.of(), ProxyHarness.hp(p.a.port()), true, List.of(), 0,
                    CidrSet.parse(List.of("203.0.113.0/24", "2001:db8::/32")), CidrSet.parse(List.of("203.0.113.66")))));
    private AccessLog log;

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
        if (log != null) {
            log.close();
        }
    }

    private void trust(String... blocks) {
        h.server.trustedProxies(CidrSet.parse(List.of(blocks)));
    }

    /** Sends {@code GET path} on {@code c}, from {@code forwardedFor} when not empty, and reads the response. */
    private static Response get(RawHttpClient c, String path, String forwardedFor) {
        c.send("GET " + path + " HTTP/1.1\r\nHost: t\r\n"
                + (forwardedFor.isEmpty() ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n");
        return c.read();
    }

    private String forwardedForSeenUpstream(String headers) {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/x HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        List<HttpTestServer.Seen> seen = h.a.requests();
        return seen.get(seen.size() - 1).headers().get("X-Forwarded-For");
    }

    @Test
    void fromATrustedPeerTheRightMostUntrustedAddressIsTheClientAndEndsTheForwardedFor() throws Exception {
        trust("127.0.0.1", "10.0.0.0/8");
        log = new AccessLog(ZoneOffset.UTC);
        Path file = dir.resolve("access.log");
        log.configure(Optional.of(new AccessLogSettings(Optional.of(file), AccessLogSettings.Format.JSON)));
        h.server.accessLog(log);

        assertThat(forwardedForSeenUpstream("X-Forwarded-For: 198.51.100.9, 203.0.113.7, 10.1.2.3\r\n"))
                .isEqualTo("198.51.100.9, 203.0.113.7");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && !Files.readString(file).isEmpty());
        String line = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        assertThat(new ObjectMapper().readTree(line).get("remote_addr").asText()).isEqualTo("203.0.113.7");
    }

    @Test
    void severalForwardedForFieldsAreOneListReadFromTheRight() {
        trust("127.0.0.1", "10.0.0.0/8");
        assertThat(forwardedForSeenUpstream("X-Forwarded-For: 198.51.100.9\r\nX-Forwarded-For: 203.0.113.7,10.0.0.1\r\n"))
                .isEqualTo("198.51.100.9, 203.0.113.7");
        assertThat(forwardedForSeenUpstream("X-Forwarded-For: 2001:db8::5, 10.0.0.1\r\n")).isEqualTo("2001:db8::5");
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAtTheLastTrustedHop() {
        trust("127.0.0.1", "10.0.0.0/8");
        assertThat(forwardedForSeenUpstream("X-Forwarded-For: 203.0.113.7, bogus, 10.0.0.1\r\n"))
                .isEqualTo("203.0.113.7, bogus, 10.0.0.1");
    }

    @Test
    void eachRequestOfAConnectionHasItsOwnClientNotTheOneBeforeIt() {
        trust("127.0.0.1");
        try (RawHttpClient c = h.client()) {
            assertThat(get(c, "/private/x", "203.0.113.7").status())
                    .as("the forwarded client is in the allow list").isEqualTo(200);
            assertThat(get(c, "/private/x", "bogus").status())
                    .as("no address: the trusted peer is the client, not the last request's").isEqualTo(403);
            assertThat(get(c, "/private/x", "").status()).as("no header: the peer is the client").isEqualTo(403);
            assertThat(get(c, "/private/x", "203.0.113.8").status()).isEqualTo(200);
        }
    }

    @Test
    void fromAnUntrustedPeerTheHeaderIsNotReadAndThePeerIsAppended() {
        trust("10.0.0.0/8"); // the test client (127.0.0.1) is not a trusted proxy
        assertThat(forwardedForSeenUpstream("X-Forwarded-For: 203.0.113.7\r\n")).isEqualTo("203.0.113.7, 127.0.0.1");
        try (RawHttpClient c = h.client()) {
            assertThat(get(c, "/private/x", "203.0.113.7").status())
                    .as("a header from an untrusted peer does not admit it").isEqualTo(403);
        }
    }

    @Test
    void theLocalEndpointsAreGivenTheClientNotATrustedPeer() {
        trust("127.0.0.1");
        try (RawHttpClient c = h.client()) {
            c.send("POST /health/who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.7\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.send("POST /health/who HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(endpointClients).hasSize(2);
        InetSocketAddress behindProxy = (InetSocketAddress) endpointClients.get(0);
        assertThat(behindProxy.getAddress().getHostAddress()).isEqualTo("203.0.113.7");
        assertThat(behindProxy.getAddress().isLoopbackAddress()).isFalse();
        InetSocketAddress direct = (InetSocketAddress) endpointClients.get(1);
        assertThat(direct.getAddress().isLoopbackAddress()).as("no header: the peer itself").isTrue();
    }

    @Test
    void allowAndDenyListsAnswer403ProblemJsonAndNothingReachesTheUpstream() {
        trust("127.0.0.1");
        try (RawHttpClient c = h.client()) {
            assertThat(get(c, "/private/x", "203.0.113.7").status()).isEqualTo(200);
            assertThat(get(c, "/private/x", "2001:db8::1").status()).isEqualTo(200);
            Response denied = get(c, "/private/y", "203.0.113.66");
            assertThat(denied.status()).as("denied inside an allowed block").isEqualTo(403);
            assertThat(denied.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(get(c, "/private/z", "198.51.100.1").status()).as("not in the allow list").isEqualTo(403);
            assertThat(get(c, "/private/z", "").status())
                    .as("the loopback peer itself is not allowed either").isEqualTo(403);
            assertThat(get(c, "/a/open", "198.51.100.1").status())
                    .as("a route without lists serves everyone").isEqualTo(200);
        }
        assertThat(h.a.requests()).extracting(HttpTestServer.Seen::uri).containsExactly("/private/x", "/private/x", "/a/open");
    }
}
