package dev.wakegate.e2e.labels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerProxyTest;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static dev.wakegate.e2e.labels.LabelE2E.contentType;
import static dev.wakegate.e2e.labels.LabelE2E.httpServerScript;
import static dev.wakegate.e2e.labels.LabelE2E.json;
import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Label discovery against the real engine (docs/configuration.md, "Labels"): containers created after
 * the proxy started, configured by labels alone, are routed, woken, stopped when idle and
 * forgotten when destroyed; dependencies between label containers start in order; YAML wins.
 */
@Tag("docker")
class LabelDiscoveryE2ETest extends DockerProxyTest {
    /** Discovery follows the event stream: a new container is routed well within a second of {@code docker create} (on an idle machine). */
    private static final Duration DISCOVERY = Duration.ofSeconds(5);


    @Test
    void labelOnlyContainerCreatedLaterIsWokenStoppedWhenIdleAndForgottenWhenDestroyed() {
        proxy = WakegateHarness.start("""
                automation:
                  idle_check_interval: 300ms
                """);
        assertThat(proxy.get("/health/containers").statusCode()).isEqualTo(200); // warm: the first call loads classes
        int port = Loopback.freePort();
        String route = uniqueRoute("wake");
        String name = docker.container("lbl-wake")
                .shell(httpServerScript(port, route, "woken-by-label"))
                .labels(labels("route", route, "upstream", "127.0.0.1:" + port, "priority", "low",
                        "health", "/", "idle_timeout", "2s"))
                .create();

        await("label container managed").atMost(DISCOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> managed(proxy, name) != null);
        JsonNode entry = managed(proxy, name);
        assertThat(entry.path("priority").asText()).isEqualTo("low");
        assertThat(entry.path("state").asText()).isEqualTo("stopped");
        assertThat(docker.status(name)).isEqualTo("created");

        HttpResponse<String> woken = proxy.get(route + "/");
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        assertThat(woken.body()).contains("woken-by-label");
        assertThat(docker.status(name)).isEqualTo("running");

        // idle_timeout 2s from its label, idle check every 300ms
        docker.awaitStopped(name, Duration.ofSeconds(10));
        await("proxy sees it stopped").atMost(Duration.ofSeconds(3))
                .until(() -> "stopped".equals(managed(proxy, name).path("state").asText()));

        docker.remove(name);
        await("route removed").atMost(DISCOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> proxy.get(route + "/").statusCode() == 404);
        HttpResponse<String> gone = proxy.get(route + "/");
        assertThat(contentType(gone)).startsWith("application/problem+json");
        assertThat(json(gone).path("status").asInt()).isEqualTo(404);
        await("unregistered").atMost(DISCOVERY).until(() -> managed(proxy, name) == null);
    }

    @Test
    void theFirstRequestAfterStartFindsTheLabelRouteOfAContainerThatExistedBefore() {
        int port = Loopback.freePort();
        String route = uniqueRoute("first");
        String name = docker.container("lbl-first")
                .shell(httpServerScript(port, route, "routed-at-start"))
                .labels(labels("route", route, "upstream", "127.0.0.1:" + port, "health", "/"))
                .create();
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        // no wait: the proxy accepts once discovery's first listing is in its routes
        assertThat(managed(proxy, name)).as("managed from the first listing").isNotNull();
        HttpResponse<String> first = proxy.get(route + "/");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("routed-at-start");
    }

    @Test
    void labelDependencyIsStartedFirstEvenWhenTheDependentWasCreatedBeforeIt() {
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        assertThat(proxy.get("/health/containers").statusCode()).isEqualTo(200);
        int appPort = Loopback.freePort();
        int dbPort = Loopback.freePort();
        String route = uniqueRoute("chain");
        String dbService = DockerFixture.uniqueName("db");
        String appService = DockerFixture.uniqueName("app");
        // the dependent first: discovery must not give up on it because its dependency is not there yet
        String app = docker.container("lbl-app").composeService(appService)
                .shell(httpServerScript(appPort, route, "app-after-db"))
                .labels(labels("route", route, "upstream", "127.0.0.1:" + appPort, "depends_on", dbService,
                        "health", "/"))
                .create();
        String db = docker.container("lbl-db").composeService(dbService)
                .shell(httpServerScript(dbPort, "/db", "db"))
                .labels(labels("upstream", "127.0.0.1:" + dbPort, "health", "tcp", "priority", "high"))
                .create();

        await("both managed under their compose service names").atMost(DISCOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> managed(proxy, appService) != null && managed(proxy, dbService) != null);

        HttpResponse<String> r = proxy.get(route + "/");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("app-after-db");
        Instant dbStarted = Instant.parse(docker.inspect(db).getState().getStartedAt());
        Instant appStarted = Instant.parse(docker.inspect(app).getState().getStartedAt());
        assertThat(dbStarted).as("dependency started first").isBefore(appStarted);
    }

    @Test
    void yamlDeclarationWinsOverTheContainersLabels() {
        int port = Loopback.freePort();
        int wrongPort = Loopback.freePort();
        String route = uniqueRoute("yaml");
        String extraRoute = uniqueRoute("extra");
        String name = DockerFixture.uniqueName("lbl-yaml");
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                containers:
                  %s: { priority: high, upstream: 127.0.0.1:%d, health: { http: / } }
                routes:
                  - { path: %s, containers: [%s], upstream: %s }
                """.formatted(name, port, route, name, name));
        docker.containerNamed(name)
                .shell(LabelE2E.httpServerScriptAt(port, "yaml-address", route, extraRoute))
                .labels(labels("route", route + "," + extraRoute, "upstream", "127.0.0.1:" + wrongPort,
                        "priority", "low", "idle_timeout", "1s"))
                .create();

        await("label-only route added").atMost(DISCOVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> proxy.get("/health/services").body().contains(extraRoute));
        JsonNode entry = managed(proxy, name);
        assertThat(entry.path("priority").asText()).as("YAML priority").isEqualTo("high");
        assertThat(entry.path("managed_by").asText()).isEqualTo("yaml");

        HttpResponse<String> r = proxy.get(route + "/");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as("YAML route and address").contains("yaml-address");
        HttpResponse<String> extra = proxy.get(extraRoute + "/");
        assertThat(extra.statusCode()).as("label route uses the YAML address: " + extra.body()).isEqualTo(200);
        assertThat(extra.body()).contains("yaml-address");
    }
}
