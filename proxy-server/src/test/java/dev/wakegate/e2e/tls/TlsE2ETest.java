package dev.wakegate.e2e.tls;

import dev.wakegate.testing.Loopback;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.metrics.PrometheusText;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyType;
import dev.wakegate.testing.WakegateHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole proxy as an edge, as a compose stack behind nginx with {@code server_name} and
 * {@code listen 443 ssl} would use it: two host names over HTTPS (an exact one whose container
 * is stopped, and a wildcard to a plain upstream), plain HTTP redirected, curl as the client
 * (resolving the names to 127.0.0.1), a real Docker engine waking the container. The certificates
 * are made by the test.
 */
@Tag("docker")
class TlsE2ETest {
    @TempDir
    static Path dir;

    private static DockerFixture docker;
    private static HttpTestServer other;
    private static TestPki pki;
    private static Issued app;
    private static Issued wildcard;
    private static int tlsPort;
    private static String appContainer;
    private static WakegateHarness proxy;

    @BeforeAll
    static void start() {
        docker = new DockerFixture();
        other = new HttpTestServer("other");
        pki = new TestPki(dir);
        app = pki.issue("app", KeyType.EC, "app.example.test");
        wildcard = pki.issue("wild", KeyType.RSA, "*.example.test");
        int appPort = Loopback.freePort();
        appContainer = docker.httpServer("tls-app", appPort, Duration.ZERO);
        tlsPort = Loopback.freePort();
        proxy = WakegateHarness.start("""
                workers: 1
                timeouts: { drain: 1s }
                containers:
                  %s: { upstream: 127.0.0.1:%d }
                tls:
                  listen: 127.0.0.1:%d
                  certificates:
                    - { cert: %s, key: %s }
                    - { cert: %s, key: %s }
                  redirect_http: true
                  hsts: 180d
                routes:
                  - { host: app.example.test, path: /, containers: [%s], upstream: %s }
                  - { host: "*.example.test", path: /, upstream: 127.0.0.1:%d }
                """.formatted(appContainer, appPort, tlsPort, app.cert(), app.key(), wildcard.cert(), wildcard.key(),
                appContainer, appContainer, other.port()));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        other.close();
        docker.close();
    }

    /** curl's output: status, then the response headers and body as -i prints them. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "60",
                "--cacert", pki.caFile().toString(),
                "--resolve", "app.example.test:" + tlsPort + ":127.0.0.1",
                "--resolve", "shop.example.test:" + tlsPort + ":127.0.0.1",
                "--resolve", "app.example.test:" + proxy.port() + ":127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void anHttpsRequestForAStoppedContainersHostWakesItAndIsAnswered() throws Exception {
        String out = curl("-H", "Accept: application/json", "https://app.example.test:" + tlsPort + "/index.html");

        assertThat(out).startsWith("HTTP/1.1 200");
        assertThat(out).containsIgnoringCase("strict-transport-security: max-age=15552000");
        assertThat(docker.inspect(appContainer).getState().getRunning()).isTrue();
    }

    @Test
    void theWildcardHostGoesToItsOwnUpstreamWithItsOwnCertificate() throws Exception {
        String out = curl("https://shop.example.test:" + tlsPort + "/cart?x=1");

        assertThat(out).startsWith("HTTP/1.1 200").containsIgnoringCase("x-upstream: other");
        assertThat(other.requests()).anySatisfy(r -> {
            assertThat(r.uri()).isEqualTo("/cart?x=1");
            assertThat(r.headers().get("X-Forwarded-Proto")).isEqualTo("https");
        });
    }

    @Test
    void plainHttpIsRedirectedToHttpsButHealthIsNot() throws Exception {
        String out = curl("http://app.example.test:" + proxy.port() + "/a/b?c=d");
        assertThat(out).startsWith("HTTP/1.1 308").contains("Location: https://app.example.test:" + tlsPort + "/a/b?c=d");

        assertThat(proxy.get("/health/automation").statusCode()).isEqualTo(200);
    }

    @Test
    void healthServicesShowsTheHostsOfEachRoute() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(proxy.get("/health/services").body());
        JsonNode deps = doc.path("service_mappings").path("endpoint_dependencies");

        assertThat(deps.path("app.example.test/").get(0).asText()).isEqualTo(appContainer);
        assertThat(deps.path("*.example.test/").isArray()).isTrue();
        assertThat(deps.path("*.example.test/")).isEmpty();
    }

    @Test
    void metricsCarryEachCertificatesExpiry() {
        PrometheusText m = PrometheusText.parse(proxy.get("/health/metrics").body());

        assertThat(m.value("wakegate_tls_certificate_expiry_timestamp_seconds", "cert=\"" + app.cert() + "\""))
                .isEqualTo((double) app.leaf().getNotAfter().toInstant().getEpochSecond());
        assertThat(m.value("wakegate_tls_certificate_expiry_timestamp_seconds", "cert=\"" + wildcard.cert() + "\""))
                .isEqualTo((double) wildcard.leaf().getNotAfter().toInstant().getEpochSecond());
        assertThat(m.value("wakegate_tls_certificate_reloads_total", "cert=\"" + app.cert() + "\"", "result=\"refused\""))
                .isZero();
        assertThat(Files.exists(app.cert())).isTrue();
    }
}
