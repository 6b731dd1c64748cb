package dev.wakegate.e2e.labels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerFixture.Healthcheck;
import dev.wakegate.testing.DockerProxyTest;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.wakegate.e2e.labels.LabelE2E.contentType;
import static dev.wakegate.e2e.labels.LabelE2E.json;
import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Upstream host names are resolved with Netty's asynchronous DNS resolver. On this machine (host
 * networking, no compose network) a service name never resolves: the answer must be a prompt
 * problem+json naming the host, never a hang. {@code .invalid} never resolves anywhere (RFC 6761).
 */
@Tag("docker")
class UnresolvableUpstreamE2ETest extends DockerProxyTest {
    private static final String HOST = "no-such-service.invalid";
    /** Generous for a loaded 2-core machine; a hang would run into the 60s startup timeout or beyond. */
    private static final Duration PROMPTLY = Duration.ofSeconds(8);


    @Test
    void plainRouteToAnUnresolvableNameAnswers502NamingIt() {
        String route = uniqueRoute("dns-plain");
        proxy = WakegateHarness.start("""
                routes:
                  - { path: %s, upstream: %s:8080 }
                """.formatted(route, HOST));

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get(route + "/x");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertBadGatewayNaming(r);
        assertThat(took).as("answered promptly").isLessThan(PROMPTLY);
        // and the proxy keeps serving
        assertThat(proxy.get("/health/automation").statusCode()).isEqualTo(200);
    }

    @Test
    void labelContainerWithAnUnresolvableUpstreamAnswers502NamingIt() {
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        String route = uniqueRoute("dns-label");
        // a Docker HEALTHCHECK makes it ready without probing the (unresolvable) upstream
        String name = docker.container("lbl-dns").cmd("sleep", "3600").healthcheck(Healthcheck.shell("exit 0"))
                .labels(labels("route", route, "upstream", HOST + ":8080"))
                .create();
        await("managed").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, name) != null);

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get(route + "/x");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertBadGatewayNaming(r);
        assertThat(took).as("start + answer, promptly").isLessThan(PROMPTLY);
        assertThat(docker.status(name)).isEqualTo("running");
    }

    @Test
    void composePortLabelOutsideAComposeNetworkAnswersPromptlyNamingTheService() {
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        String route = uniqueRoute("dns-port");
        String service = DockerFixture.uniqueName("svc");
        // wakegate.port=PORT means SERVICE:PORT; without a HEALTHCHECK readiness probes that address
        String name = docker.container("lbl-port").composeService(service).cmd("sleep", "3600")
                .labels(labels("route", route, "port", "8080"))
                .create();
        await("managed").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, service) != null);

        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get(route + "/x");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(r.statusCode()).as(r.body()).isBetween(502, 503);
        assertThat(contentType(r)).startsWith("application/problem+json");
        assertThat(json(r).path("detail").asText()).contains("cannot resolve " + service);
        assertThat(took).as("answered promptly, not at the startup timeout").isLessThan(PROMPTLY);
        assertThat(docker.status(name)).isEqualTo("running");
    }

    private static void assertBadGatewayNaming(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(contentType(r)).startsWith("application/problem+json");
        JsonNode problem = json(r);
        assertThat(problem.path("status").asInt()).isEqualTo(502);
        assertThat(problem.path("detail").asText()).contains("cannot resolve " + HOST);
    }
}
