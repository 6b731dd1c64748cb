package dev.wakegate.e2e.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live waiting page against a real engine: what a browser navigation to a sleeping route gets,
 * and the long poll its script follows ({@code /health/wake/...}): held while the containers start,
 * answered the moment they are ready (measured against the upstream's own first answer), or with
 * the reason when the start fails. Also the monitor-facing {@code /health/containers/{name}} and the
 * {@code sleeping_since} and {@code expected_start_ms} of {@code /health/containers}.
 */
@Tag("docker")
class WaitingPageE2ETest {
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static DockerFixture docker;
    private WakegateHarness proxy;

    @BeforeAll
    static void engine() {
        docker = new DockerFixture();
    }

    @AfterAll
    static void cleanUp() {
        docker.close();
    }

    @AfterEach
    void stopProxyAndRemoveContainers() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        docker.removeAll();
    }

    private void start(String rest) {
        proxy = WakegateHarness.start("""
                workers: 2
                automation:
                  auto_stop: false
                  startup_timeout: 10s
                """ + rest);
    }

    private HttpResponse<String> navigate(String path) {
        return proxy.send(HttpRequest.newBuilder(proxy.uri(path)).header("Accept", HTML)
                .timeout(Duration.ofSeconds(10)).GET().build());
    }

    @Test
    void navigationGetsAnAccessiblePageNamingTheContainerAndWhatItDependsOn() {
        Site db = Upstreams.plainSite(docker, "wp-db", "db", Duration.ofSeconds(2));
        Site app = Upstreams.plainSite(docker, "wp-app", "app");
        start("containers:\n"
                + "  %s: { upstream: %s }\n".formatted(db.name(), db.upstream())
                + "  %s: { upstream: %s, depends_on: [%s] }\n".formatted(app.name(), app.upstream(), db.name())
                + "routes:\n  - { path: /app, containers: [%s], upstream: %s }\n".formatted(app.name(), app.name()));

        HttpResponse<String> page = navigate("/app/");

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String html = page.body();
        assertThat(html).contains("<h1", "role=\"status\"", "aria-live=\"polite\"",
                "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>",
                "data-wake=\"/health/wake/" + app.name() + "\"", "prefers-color-scheme:dark");
        // the dependency first, then the container itself
        assertThat(html.indexOf("data-name=\"" + db.name() + "\"")).isPositive()
                .isLessThan(html.indexOf("data-name=\"" + app.name() + "\""));
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(8 * 1024);
    }

    @Test
    void wakePollIsAnsweredWithinMillisecondsOfTheUpstreamFirstAnswering() throws Exception {
        Site app = Upstreams.plainSite(docker, "wp-live", "app", Duration.ofMillis(2500));
        start("containers:\n  %s: { upstream: %s }\n".formatted(app.name(), app.upstream())
                + "routes:\n  - { path: /app, containers: [%s], upstream: %s }\n".formatted(app.name(), app.name()));
        assertThat(navigate("/app/").statusCode()).isEqualTo(503);

        // the first polls are held about a second each and say where the start stands
        JsonNode first = poll(app.name());
        assertThat(first.get("ready").asBoolean()).isFalse();
        assertThat(first.get("failed").isNull()).isTrue();
        JsonNode c = first.get("containers").get(0);
        assertThat(c.get("name").asText()).isEqualTo(app.name());
        assertThat(c.get("state").asText()).isIn("waiting", "starting", "running");
        assertThat(c.get("elapsed_ms").asLong()).isPositive();

        // a poll in flight while the upstream comes up: it must end within milliseconds of the first answer
        CompletableFuture<Long> upstreamUp = CompletableFuture.supplyAsync(() -> firstConnect(app.port()));
        long readyPollAt;
        while (true) {
            JsonNode p = poll(app.name());
            if (p.get("ready").asBoolean()) {
                readyPollAt = System.nanoTime();
                break;
            }
            assertThat(p.get("failed").isNull()).as("poll %s", p).isTrue();
        }
        long upAt = upstreamUp.get(10, TimeUnit.SECONDS);
        long lagMillis = (readyPollAt - upAt) / 1_000_000;
        assertThat(lagMillis).as("poll answered %d ms after the upstream first accepted", lagMillis).isLessThan(500);

        // and the navigation now reaches the real page
        HttpResponse<String> real = navigate("/app/");
        assertThat(real.statusCode()).isEqualTo(200);
        assertThat(real.body().trim()).isEqualTo(app.name());

        JsonNode containers = json(proxy.get("/health/containers").body()).get("containers").get(app.name());
        assertThat(containers.get("expected_start_ms").asLong()).isGreaterThanOrEqualTo(2000);
        assertThat(containers.get("sleeping_since").isNull()).isTrue();
    }

    @Test
    void aFailedStartAnswersThePollWithTheReasonAndMonitorsSeeItDown() {
        String broken = docker.exitingContainer("wp-broken", 3);
        start("containers:\n  %s: { upstream: 127.0.0.1:9 }\n".formatted(broken)
                + "routes:\n  - { path: /b, containers: [%s], upstream: 127.0.0.1:9 }\n".formatted(broken));
        // asleep by design: a monitor sees it up ("dormant")
        HttpResponse<String> dormant = proxy.get("/health/containers/" + broken);
        assertThat(dormant.statusCode()).isEqualTo(200);
        assertThat(json(dormant.body()).get("status").asText()).isEqualTo("dormant");
        assertThat(json(proxy.get("/health/containers").body()).get("containers").get(broken)
                .get("sleeping_since").isNull()).isFalse();

        navigate("/b/");
        JsonNode failed = await().atMost(Duration.ofSeconds(10)).until(() -> poll(broken),
                p -> !p.get("failed").isNull());
        assertThat(failed.get("ready").asBoolean()).isFalse();
        assertThat(failed.get("failed").get("container").asText()).isEqualTo(broken);
        assertThat(failed.get("failed").get("reason").asText()).contains("3");

        HttpResponse<String> down = proxy.get("/health/containers/" + broken);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down.body()).get("status").asText()).isEqualTo("down");
        assertThat(json(down.body()).get("reason").asText()).contains("3");
    }

    @Test
    void wakeStartsOnlyContainersSomeRouteNames() {
        Site app = Upstreams.plainSite(docker, "wp-unrouted", "app");
        start("containers:\n  %s: { upstream: %s }\n".formatted(app.name(), app.upstream()) + "routes: []\n");

        HttpResponse<String> r = proxy.get("/health/wake/" + app.name());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(docker.status(app.name())).isEqualTo("created");
        assertThat(proxy.get("/health/containers/nope").statusCode()).isEqualTo(404);
    }

    private JsonNode poll(String names) {
        HttpResponse<String> r = proxy.get("/health/wake/" + names);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    /** Connects to the upstream every millisecond until it accepts; returns System.nanoTime() of that. */
    private static long firstConnect(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return System.nanoTime();
            } catch (IOException notYet) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("upstream never accepted on " + port);
    }
}
