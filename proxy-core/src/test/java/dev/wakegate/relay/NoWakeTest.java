package dev.wakegate.relay;

import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code no_wake} on the data path: to sleeping containers a matching request gets a 503 and
 * starts nothing; to running ones it is served but not reported as activity; everything else
 * (a browser's navigation above all) wakes as before. The routes are {@link ProxyHarness#NO_WAKE}'s.
 */
class NoWakeTest {
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0 Safari/537.36";
    private final FakeGate gate = new FakeGate().notReady("app");
    private final ProxyHarness h = new ProxyHarness(gate);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    private static Response send(RawHttpClient c, String method, String path, String userAgent, String accept) {
        c.send(method + " " + path + " HTTP/1.1\r\nHost: t\r\n" + (userAgent == null ? "" : "User-Agent: " + userAgent + "\r\n")
                + (accept == null ? "" : "Accept: " + accept + "\r\n") + "\r\n");
        return c.read();
    }

    @Test
    void monitorToASleepingContainerGets503AndStartsNothing() {
        try (RawHttpClient c = h.client()) {
            Response r = send(c, "GET", "/nw-cold/status", "Mozilla/5.0+(compatible; UptimeRobot/2.0)", "*/*");

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.bodyText()).contains("\"container\":\"app\"", "no_wake: user_agent");
            assertThat(send(c, "GET", "/b/next", null, null).status()).isEqualTo(200); // the connection goes on
        }
        assertThat(gate.awaitCalls.get()).isZero();
        assertThat(gate.quietStarted.get()).isEqualTo(1);
        assertThat(h.metrics.notWoken).containsExactly("user_agent refused");
        assertThat(h.a.bytesReceived()).isZero();
    }

    @Test
    void faviconPrefixAndMethodRulesRefuseToWakeToo() {
        try (RawHttpClient c = h.client()) {
            assertThat(send(c, "GET", "/nw-cold/favicon.ico", BROWSER, "image/avif,image/webp,*/*").status()).isEqualTo(503);
            assertThat(send(c, "GET", "/nw-cold/.well-known/security.txt", BROWSER, null).status()).isEqualTo(503);
            assertThat(send(c, "OPTIONS", "/nw-cold/api", BROWSER, null).status()).isEqualTo(503);
            // a regex with a word boundary: "bot" as a word, not inside another one
            assertThat(send(c, "GET", "/nw-cold/x", "SomeCrawler bot/1.0", null).status()).isEqualTo(503);
        }
        assertThat(gate.awaitCalls.get()).isZero();
        assertThat(h.metrics.notWoken).containsExactly("path refused", "path refused", "method refused",
                "user_agent refused");
    }

    @Test
    void browserNavigationStillWakesAndGetsTheWaitingPage() {
        try (RawHttpClient c = h.client()) {
            Response r = send(c, "GET", "/nw-cold/", BROWSER, "text/html,application/xhtml+xml,*/*;q=0.8");

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Content-Type")).startsWith("text/html");
        }
        assertThat(gate.awaitCalls.get()).isEqualTo(1);
        assertThat(gate.quietStarted.get()).isZero();
        assertThat(h.metrics.notWoken).isEmpty();
    }

    @Test
    void monitorToARunningContainerIsServedButIsNotActivity() {
        try (RawHttpClient c = h.client()) {
            Response monitor = send(c, "GET", "/nw-warm/health", "UptimeRobot/2.0", null);
            Response robots = send(c, "GET", "/nw-warm/robots.txt", BROWSER, null);
            Response user = send(c, "GET", "/nw-warm/page", BROWSER, null);

            assertThat(monitor.status()).isEqualTo(200);
            assertThat(robots.status()).isEqualTo(200);
            assertThat(user.status()).isEqualTo(200);
        }
        h.awaitQuiet();
        assertThat(gate.started.get()).isEqualTo(3);
        assertThat(gate.quietStarted.get()).isEqualTo(2);
        assertThat(gate.quietEnded.get()).isEqualTo(2); // every quiet start ends quietly
        assertThat(h.metrics.notWoken).containsExactly("user_agent served", "path served");
    }
}
