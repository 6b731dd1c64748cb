package dev.wakegate.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.config.AccessLogSettings;
import dev.wakegate.config.AccessLogSettings.Format;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The access log through real sockets: the proxy, real upstreams, a real file. */
class AccessLogTest {
    /** nginx's combined, as a pattern: each group is one variable. */
    private static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) - (\\S+) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] \"(.*)\" (\\d{3}) (\\d+) \"(.*)\" \"(.*)\"$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FakeGate gate = new FakeGate().notReady("app", "db");
    private final ProxyHarness h = new ProxyHarness(gate);
    private AccessLog log;

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
        if (log != null) {
            log.close();
        }
    }

    private Path logTo(Format format) throws IOException {
        Path file = dir.resolve("access.log");
        log = new AccessLog(ZoneOffset.UTC);
        log.configure(Optional.of(new AccessLogSettings(Optional.of(file), format)));
        h.server.accessLog(log);
        return file;
    }

    private static List<String> awaitLines(Path file, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= n);
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Matcher combined(String line) {
        Matcher m = COMBINED.matcher(line);
        assertThat(m.matches()).as("combined line: %s", line).isTrue();
        return m;
    }

    @Test
    void writesOneCombinedLinePerRequestWithTheBodyBytesTheClientGot() throws IOException {
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/x?size=1234 HTTP/1.1\r\nHost: t\r\nUser-Agent: curl/8.1\r\nReferer: http://r.example/p\r\n\r\n");
            assertThat(c.read().body()).hasSize(1234);
            c.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
            Response notFound = c.read();
            assertThat(notFound.status()).isEqualTo(404);
            List<String> lines = awaitLines(file, 2);
            Matcher first = combined(lines.get(0));
            assertThat(first.group(1)).isEqualTo("127.0.0.1");
            assertThat(first.group(2)).isEqualTo("-");
            assertThat(first.group(4)).isEqualTo("GET /a/x?size=1234 HTTP/1.1");
            assertThat(first.group(5)).isEqualTo("200");
            assertThat(first.group(6)).isEqualTo("1234");
            assertThat(first.group(7)).isEqualTo("http://r.example/p");
            assertThat(first.group(8)).isEqualTo("curl/8.1");
            Matcher second = combined(lines.get(1));
            assertThat(second.group(4)).isEqualTo("GET /nowhere HTTP/1.1");
            assertThat(second.group(5)).isEqualTo("404");
            assertThat(second.group(6)).isEqualTo(String.valueOf(notFound.body().length));
            assertThat(second.group(7)).isEqualTo("-");
            assertThat(second.group(8)).isEqualTo("-");
        }
        assertThat(log.dropped()).isZero();
    }

    @Test
    void escapesQuotesBackslashesAndNonAsciiBytesAsNginxDoes() throws IOException {
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            byte[] head = ("GET /a/q HTTP/1.1\r\nHost: t\r\nUser-Agent: say \"hi\" \\ caf\u00e9\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            c.send(head);
            assertThat(c.read().status()).isEqualTo(200);
        }
        Matcher m = combined(awaitLines(file, 1).get(0));
        assertThat(m.group(8)).isEqualTo("say \\x22hi\\x22 \\x5C caf\\xE9");
    }

    @Test
    void aMalformedHeadIsLoggedWithADashForTheRequestLine() throws IOException {
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            c.send("GET /a HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        Matcher m = combined(awaitLines(file, 1).get(0));
        assertThat(m.group(4)).isEqualTo("-");
        assertThat(m.group(5)).isEqualTo("400");
    }

    @Test
    void aClientThatLeavesBeforeAnyResponseIsLoggedAs499() throws IOException {
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            c.send("GET /held/x HTTP/1.1\r\nHost: t\r\n\r\n"); // parked: db never becomes ready
            await().atMost(Duration.ofSeconds(5)).until(() -> h.server.parkedCount() == 1);
        }
        Matcher m = combined(awaitLines(file, 1).get(0));
        assertThat(m.group(4)).isEqualTo("GET /held/x HTTP/1.1");
        assertThat(m.group(5)).isEqualTo("499");
        assertThat(m.group(6)).isEqualTo("0");
    }

    @Test
    void jsonLinesCarryTheRouteTheUpstreamAndHowLongTheRequestWaitedForItsContainers() throws Exception {
        Path file = logTo(Format.JSON);
        try (RawHttpClient c = h.client()) {
            c.send("POST /cold/p?size=10 HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\nUser-Agent: k6\r\n\r\nabc");
            await().atMost(Duration.ofSeconds(5)).until(() -> h.server.parkedCount() == 1);
            TimeUnit.MILLISECONDS.sleep(120); // the wait the line must report: nothing to await, it is the point
            gate.makeReady("app");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            c.get("/a/warm");
        }
        List<String> lines = awaitLines(file, 2);
        JsonNode cold = JSON.readTree(lines.get(0));
        assertThat(cold.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(cold.get("remote_addr").asText()).isEqualTo("127.0.0.1");
        assertThat(cold.get("method").asText()).isEqualTo("POST");
        assertThat(cold.get("target").asText()).isEqualTo("/cold/p?size=10");
        assertThat(cold.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(cold.get("status").asInt()).isEqualTo(200);
        assertThat(cold.get("body_bytes_sent").asLong()).isEqualTo(10);
        assertThat(cold.get("bytes_sent").asLong()).isGreaterThan(10);
        assertThat(cold.get("host").asText()).isEqualTo("app.test");
        assertThat(cold.get("route").asText()).isEqualTo("/cold");
        assertThat(cold.get("upstream").asText()).isEqualTo("127.0.0.1:" + h.a.port());
        assertThat(cold.get("user_agent").asText()).isEqualTo("k6");
        assertThat(cold.get("referer").isNull()).isTrue();
        assertThat(cold.get("cold_start_ms").asDouble()).isGreaterThanOrEqualTo(100.0);
        assertThat(cold.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(cold.get("cold_start_ms").asDouble());
        assertThat(cold.get("containers")).extracting(JsonNode::asText).containsExactly("app");
        JsonNode warm = JSON.readTree(lines.get(1));
        assertThat(warm.get("cold_start_ms").isNull()).isTrue();
        assertThat(warm.get("containers")).isEmpty();
    }

    @Test
    void reopenStartsANewFileAfterTheOldOneWasMovedAway() throws IOException {
        Path file = logTo(Format.COMBINED);
        Path rotated = dir.resolve("access.log.1");
        try (RawHttpClient c = h.client()) {
            c.get("/a/before");
            awaitLines(file, 1);
            Files.move(file, rotated);
            log.reopen();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
            c.get("/a/after");
        }
        assertThat(awaitLines(file, 1)).singleElement().satisfies(l -> assertThat(l).contains("GET /a/after "));
        assertThat(Files.readAllLines(rotated)).singleElement().satisfies(l -> assertThat(l).contains("GET /a/before "));
    }

    @Test
    void switchingTheLogOffWritesNothingMore() throws IOException {
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            c.get("/a/1");
            awaitLines(file, 1);
            log.configure(Optional.empty());
            assertThat(log.enabled()).isFalse();
            c.get("/a/2");
            log.configure(Optional.of(new AccessLogSettings(Optional.of(file), Format.COMBINED)));
            c.get("/a/3");
        }
        List<String> lines = awaitLines(file, 2);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("GET /a/3 ");
    }

    /** goaccess, a real parser of nginx logs, reads every line (skipped where goaccess is not installed). */
    @Test
    void goaccessParsesEveryCombinedLine() throws Exception {
        Path goaccess = Path.of("/usr/bin/goaccess");
        Assumptions.assumeTrue(Files.isExecutable(goaccess), "goaccess is not installed (scripts/setup-machine.sh installs it)");
        Path file = logTo(Format.COMBINED);
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/x?size=10 HTTP/1.1\r\nHost: t\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) \"q\"\r\n"
                    + "Referer: https://example.com/?a=b\r\n\r\n");
            c.read();
            c.send("POST /b/y HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi");
            c.read();
            c.get("/nowhere");
            c.send("HEAD /a/z HTTP/1.1\r\nHost: t\r\n\r\n");
            c.read(true);
        }
        awaitLines(file, 4);
        Path report = dir.resolve("report.json");
        Process p = new ProcessBuilder(goaccess.toString(), file.toString(), "--log-format=COMBINED", "--no-global-config",
                "-o", report.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("goaccess.out").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("goaccess.out"))).isZero();
        JsonNode general = JSON.readTree(report.toFile()).get("general");
        assertThat(general.get("total_requests").asInt()).isEqualTo(4);
        assertThat(general.get("valid_requests").asInt()).isEqualTo(4);
        assertThat(general.get("failed_requests").asInt()).isZero();
    }
}
