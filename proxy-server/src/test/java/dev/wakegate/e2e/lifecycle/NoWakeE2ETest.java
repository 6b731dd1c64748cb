package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code no_wake} against a real engine, with the built-in list: a monitor or a favicon fetch does
 * not start a sleeping container (a 503, nothing started), a monitor polling a running one does not
 * keep it awake (its idle stop comes on time), and a monitor's request in flight is still never
 * stopped under. Also a route's own waiting-page template, served with its placeholders filled.
 */
@Tag("docker")
class NoWakeE2ETest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration HOLD = Duration.ofMillis(3500);
    private static final String MONITOR = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0 Safari/537.36";

    private static DockerFixture docker;
    private static WakegateHarness proxy;
    private static Site cold;
    private static Site watched;
    private static Site slow;
    private static Site branded;
    private static Site root;
    private static Path template;

    @BeforeAll
    static void stack() throws Exception {
        docker = new DockerFixture();
        cold = Upstreams.site(docker, "nw-cold", "cold");
        watched = Upstreams.site(docker, "nw-watched", "watched");
        slow = Upstreams.site(docker, "nw-slow", "slow");
        branded = Upstreams.plainSite(docker, "nw-brand", "brand", Duration.ofSeconds(30));
        root = Upstreams.site(docker, "nw-root", "root");
        template = Files.createTempFile("wakegate-page", ".html");
        Files.writeString(template, "<html><head>{{refresh}}</head><body><h1>ACME is waking {{names}}</h1>"
                + "{{status}}{{containers}}{{script}}</body></html>");
        String idle = Upstreams.yamlDuration(IDLE);
        proxy = WakegateHarness.start("""
                workers: 2
                automation:
                  idle_check_interval: 500ms
                  startup_timeout: 40s
                containers:
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                  %s: { upstream: %s, idle_timeout: %s }
                routes:
                  - { path: /, containers: [%s], upstream: %s }
                  - { path: /cold, containers: [%s], upstream: %s }
                  - { path: /watched, containers: [%s], upstream: %s }
                  - { path: /cgi-bin, containers: [%s], upstream: %s }
                  - { path: /brand, containers: [%s], upstream: %s, waiting_page: %s }
                """.formatted(cold.name(), cold.upstream(), idle, watched.name(), watched.upstream(), idle,
                slow.name(), slow.upstream(), idle, branded.name(), branded.upstream(), idle,
                root.name(), root.upstream(), idle, root.name(), root.name(),
                cold.name(), cold.name(), watched.name(), watched.name(), slow.name(), slow.name(),
                branded.name(), branded.name(), template));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
        Files.deleteIfExists(template);
    }

    private static Lifecycle lifecycle() {
        return proxy.server().lifecycle();
    }

    private static HttpResponse<String> get(String path, String userAgent) {
        return proxy.send(HttpRequest.newBuilder(proxy.uri(path)).header("User-Agent", userAgent)
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    @Test
    void monitorAndFaviconDoNotWakeASleepingContainerButANavigationDoes() {
        HttpResponse<String> monitor = get("/cold/", MONITOR);
        assertThat(monitor.statusCode()).isEqualTo(503);
        assertThat(monitor.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(monitor.body()).contains("no_wake: user_agent", cold.name());
        HttpResponse<String> favicon = proxy.send(HttpRequest.newBuilder(proxy.uri("/favicon.ico"))
                .header("User-Agent", BROWSER).header("Accept", "image/avif,image/webp,*/*").GET().build());
        assertThat(favicon.statusCode()).isEqualTo(503); // the root route's container sleeps on
        assertThat(favicon.body()).contains("no_wake: path", root.name());
        assertThat(docker.status(cold.name())).isEqualTo("created");
        assertThat(docker.status(root.name())).isEqualTo("created");
        assertThat(lifecycle().stats().countsOf(cold.name()).startsIssued()).isZero();
        String metrics = proxy.get("/health/metrics").body();
        assertThat(metrics).containsPattern("wakegate_not_woken_requests_total\\{outcome=\"refused\",reason=\"user_agent\"} [1-9]")
                .contains("wakegate_not_woken_requests_total{outcome=\"refused\",reason=\"path\"} 1.0");

        assertThat(get("/cold/", BROWSER).statusCode()).isEqualTo(200);
        assertThat(running(docker, cold.name())).isTrue();
    }

    @Test
    void monitorPollingARunningContainerDoesNotKeepItAwake() {
        assertThat(get("/watched/", BROWSER).statusCode()).isEqualTo(200); // a visitor woke it
        long visited = System.nanoTime();
        CompletableFuture<Void> monitor = CompletableFuture.runAsync(() -> {
            while (running(docker, watched.name())) {
                HttpResponse<String> r = get("/watched/", MONITOR);
                assertThat(r.statusCode()).isIn(200, 503); // served while up, 503 once asleep
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });

        docker.awaitStopped(watched.name(), Duration.ofSeconds(15));

        assertThat(Duration.ofNanos(System.nanoTime() - visited)).isGreaterThanOrEqualTo(IDLE);
        monitor.join();
        assertThat(docker.countEvents(watched.name(), "start")).isEqualTo(1); // and it did not wake it again
        assertThat(proxy.get("/health/metrics").body())
                .containsPattern("wakegate_not_woken_requests_total\\{outcome=\"served\",reason=\"user_agent\"} [1-9]");
    }

    @Test
    void monitorRequestInFlightIsNeverStoppedUnder() throws Exception {
        assertThat(get("/cgi-bin/slow?0", BROWSER).statusCode()).isEqualTo(200); // woken by a visitor
        long seconds = HOLD.toSeconds() + 2;
        CompletableFuture<HttpResponse<String>> slowOne = proxy.client().sendAsync(
                HttpRequest.newBuilder(proxy.uri("/cgi-bin/slow?" + seconds)).header("User-Agent", MONITOR)
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> lifecycle().container(slow.name()).inFlight() == 1);

        await(slow.name() + " kept running").during(HOLD).atMost(HOLD.plusSeconds(2))
                .pollInterval(Duration.ofMillis(100)).until(() -> running(docker, slow.name()));

        HttpResponse<String> r = slowOne.get(15, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo("slow");
        // idle since the visitor's request: the monitor's did not count, so the stop follows at once
        docker.awaitStopped(slow.name(), Duration.ofSeconds(5));
    }

    @Test
    void aRoutesOwnTemplateIsServedWithItsPlaceholdersFilled() {
        HttpResponse<String> page = proxy.send(HttpRequest.newBuilder(proxy.uri("/brand/"))
                .header("Accept", "text/html,*/*;q=0.8").header("User-Agent", BROWSER).GET().build());

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).startsWith("<html><head><noscript><meta http-equiv=\"refresh\" content=\"2\">")
                .contains("<h1>ACME is waking " + branded.name() + "</h1>", "role=\"status\"",
                        "data-wake=\"/health/wake/" + branded.name() + "\"", "<script>")
                .doesNotContain("{{");
    }
}
