package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.assertProblem;
import static dev.wakegate.e2e.lifecycle.Upstreams.running;
import static dev.wakegate.e2e.lifecycle.Upstreams.startedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wake on demand against a real engine: a whole wakegate ({@link WakegateHarness}) in front of real
 * busybox containers with real HEALTHCHECKs. Cold requests are held and served, starts are single
 * flight, dependencies come first, and a container that cannot start gives a clear 503 quickly.
 */
@Tag("docker")
class ColdStartE2ETest {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(5);

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

    /** automation with a short startup timeout and no idle stops; then {@code rest} (containers, routes). */
    private WakegateHarness start(String rest) {
        proxy = WakegateHarness.start("""
                workers: 2
                automation:
                  auto_stop: false
                  startup_timeout: %s
                """.formatted(Upstreams.yamlDuration(STARTUP_TIMEOUT)) + rest);
        return proxy;
    }

    private static String container(Site s) {
        return "  %s: { upstream: %s }\n".formatted(s.name(), s.upstream());
    }

    private static String route(String path, String container) {
        return "  - { path: %s, containers: [%s], upstream: %s }\n".formatted(path, container, container);
    }

    @Test
    void coldRequestIsHeldUntilTheContainerIsHealthyThenServed() {
        Site app = Upstreams.site(docker, "cold", "app");
        start("containers:\n" + container(app) + "routes:\n" + route("/app", app.name()));
        assertThat(docker.status(app.name())).isEqualTo("created");

        HttpResponse<String> r = proxy.get("/app/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo(app.name());
        assertThat(docker.health(app.name())).isEqualTo("healthy");
        assertThat(proxy.server().lifecycle().stats().countsOf(app.name()).startsIssued()).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentColdRequestsAreAllServedWithOneStart() throws Exception {
        Site app = Upstreams.site(docker, "burst", "app");
        start("containers:\n" + container(app) + "routes:\n" + route("/app", app.name()));

        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/app/?n=" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.join();
            assertThat(r.statusCode()).as("body %s", r.body()).isEqualTo(200);
            assertThat(r.body().trim()).isEqualTo(app.name());
        }
        assertThat(docker.countEvents(app.name(), "start")).isEqualTo(1);
        assertThat(proxy.server().lifecycle().stats().countsOf(app.name()).startsIssued()).isEqualTo(1);
    }

    @Test
    void dependencyIsHealthyBeforeItsDependantStarts() {
        Site db = Upstreams.site(docker, "db", "db");
        Site api = Upstreams.site(docker, "api", "api");
        start("containers:\n" + container(db)
                + "  %s: { upstream: %s, depends_on: [%s] }\n".formatted(api.name(), api.upstream(), db.name())
                + "routes:\n" + route("/api", api.name()));

        HttpResponse<String> r = proxy.get("/api/");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo(api.name());
        assertThat(running(docker, db.name())).isTrue();
        Instant dbStarted = startedAt(docker, db.name());
        Instant apiStarted = startedAt(docker, api.name());
        // db is healthy no sooner than its first HEALTHCHECK, 200 ms after it started: the dependant
        // must not have been started before that (ready first, not merely started first).
        assertThat(Duration.between(dbStarted, apiStarted))
                .as("db started %s, api started %s", dbStarted, apiStarted)
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void dependencySharedByTwoRoutesStartsOnce() throws Exception {
        Site db = Upstreams.site(docker, "shared-db", "db");
        Site api = Upstreams.site(docker, "api", "api");
        Site web = Upstreams.site(docker, "web", "web");
        start("containers:\n" + container(db)
                + "  %s: { upstream: %s, depends_on: [%s] }\n".formatted(api.name(), api.upstream(), db.name())
                + "  %s: { upstream: %s, depends_on: [%s] }\n".formatted(web.name(), web.upstream(), db.name())
                + "routes:\n" + route("/api", api.name()) + route("/web", web.name()));

        CompletableFuture<HttpResponse<String>> toApi = CompletableFuture.supplyAsync(() -> proxy.get("/api/"));
        CompletableFuture<HttpResponse<String>> toWeb = CompletableFuture.supplyAsync(() -> proxy.get("/web/"));

        assertThat(toApi.get(30, TimeUnit.SECONDS).body().trim()).isEqualTo(api.name());
        assertThat(toWeb.get(30, TimeUnit.SECONDS).body().trim()).isEqualTo(web.name());
        assertThat(docker.countEvents(db.name(), "start")).isEqualTo(1);
        assertThat(proxy.server().lifecycle().stats().countsOf(db.name()).startsIssued()).isEqualTo(1);
        assertThat(startedAt(docker, db.name())).isBefore(startedAt(docker, api.name()))
                .isBefore(startedAt(docker, web.name()));
    }

    @Test
    void containerThatExitsAtOnceGives503WithTheExitCode() {
        String dead = docker.exitingContainer("exits", 3);
        int port = Loopback.freePort();
        start("containers:\n  %s: { upstream: 127.0.0.1:%d }\n".formatted(dead, port)
                + "routes:\n" + route("/dead", dead));

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get("/dead/");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(STARTUP_TIMEOUT);
        assertProblem(r, dead, "exited with code 3");
    }

    @Test
    void containerThatNeverGetsHealthyGives503Unhealthy() {
        String sick = docker.neverHealthy("sick");
        int port = Loopback.freePort();
        start("containers:\n  %s: { upstream: 127.0.0.1:%d }\n".formatted(sick, port)
                + "routes:\n" + route("/sick", sick));

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get("/sick/");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(STARTUP_TIMEOUT);
        assertProblem(r, sick, "unhealthy");
    }

    @Test
    void missingContainerGives503NoSuchContainer() {
        String ghost = DockerFixture.uniqueName("ghost"); // declared, never created
        int port = Loopback.freePort();
        start("containers:\n  %s: { upstream: 127.0.0.1:%d }\n".formatted(ghost, port)
                + "routes:\n" + route("/ghost", ghost));

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get("/ghost/");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertProblem(r, ghost, "no such container");
    }

    @Test
    void browserNavigationToAColdRouteGetsTheWaitingPageWhileItStarts() {
        Site app = Upstreams.site(docker, "browser", "app");
        start("containers:\n" + container(app) + "routes:\n" + route("/app", app.name()));
        HttpRequest navigation = HttpRequest.newBuilder(proxy.uri("/app/")).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").GET().build();

        HttpResponse<String> page = proxy.send(navigation);

        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Retry-After")).isPresent();
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(page.body()).contains("http-equiv=\"refresh\"");
        // The page is not the only thing that happened: the container is on its way up.
        await("container started").atMost(Duration.ofSeconds(10)).until(() -> running(docker, app.name()));
        await("page replaced by the app").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> proxy.send(navigation).statusCode() == 200);
        assertThat(proxy.send(navigation).body().trim()).isEqualTo(app.name());
    }
}
